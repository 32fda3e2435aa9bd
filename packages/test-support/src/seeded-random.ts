/** A seeded stream of random numbers (see {@link seededRandom}). */
export interface SeededRandom {
  /** The next uniform in [0, 1), a multiple of 2⁻³². */
  uniform(): number;
  /** The next standard normal, N(0, 1), by Box–Muller from two uniforms. */
  normal(): number;
  /** The next exponential of mean `mean`, −mean · log(1 − u). */
  exponential(mean: number): number;
}

/**
 * A small seeded generator for tests of packages that cannot use `@dale-nn/ei-init`'s
 * `createRandomSource` (spectra, core): mulberry32 for the uniforms (u = state' / 2³²), Box–Muller
 * z = √(−2 log(1 − u₁)) cos(2π u₂) for the normals. The same seed gives the same numbers on every
 * platform; they are not the numbers of `createRandomSource(seed)`.
 *
 * @param seed - any number; used as its low 32 bits (`seed >>> 0`).
 * @returns the stream; each call of a method advances it.
 * @throws nothing.
 * @example
 * const rng = seededRandom(7);
 * const m = Float64Array.from({ length: 9 }, () => rng.normal());
 */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    uniform,
    normal: () => {
      const u = 1 - uniform();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
    },
    exponential: (mean) => -mean * Math.log(1 - uniform()),
  };
}
