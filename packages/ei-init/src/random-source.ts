import { requireInteger } from "@dale-nn/core/validation";

/**
 * A seeded source of random numbers shared by every dale-nn package.
 *
 * The generator is xoshiro128** (Blackman & Vigna, 2018) seeded through splitmix32, so the same
 * seed gives the same stream on every platform and backend: all draws happen in JavaScript on
 * float64 numbers, never on an accelerator.
 */
export interface RandomSource {
  /** The seed this source was created from. */
  readonly seed: number;
  /** A uniform draw in [0, 1) with 53 random bits. */
  uniform(): number;
  /** A standard normal draw N(0, 1) (Box-Muller, polar form). */
  normal(): number;
  /** An exponential draw with the given scale (= mean = standard deviation = 1 / rate). */
  exponential(scale?: number): number;
  /** A uniform integer in [0, n). */
  integer(n: number): number;
  /** A categorical draw: index i with probability p[i] / sum(p). */
  categorical(p: ArrayLike<number>): number;
  /** A new independent source whose seed is derived from this one's seed and `label`. */
  derive(label: string | number): RandomSource;
}

const UINT32 = 0x1_0000_0000;

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a hash of a string, used to turn labels into seed material. */
function hashLabel(label: string | number): number {
  const text = String(label);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Derives a child seed from a parent seed and labels, e.g. one seed per layer:
 * `deriveSeed(seed, "layer", 2)`. Deterministic and order-sensitive.
 *
 * @example
 * const layerSeed = deriveSeed(42, "hidden", 0);
 */
export function deriveSeed(seed: number, ...labels: Array<string | number>): number {
  requireInteger("deriveSeed", "seed", seed, 0);
  let h = seed >>> 0;
  for (const label of labels) {
    const next = splitmix32(h ^ hashLabel(label));
    next();
    h = next();
  }
  return h % 2147483647;
}

/**
 * Creates a seeded {@link RandomSource}.
 *
 * @param seed - a non-negative integer (values above 2^32 are reduced modulo 2^32)
 * @returns a random source whose stream depends only on `seed`
 * @throws RangeError if `seed` is not a non-negative integer
 * @example
 * const rng = createRandomSource(0);
 * const w = rng.exponential(0.05);
 */
export function createRandomSource(seed: number): RandomSource {
  requireInteger("createRandomSource", "seed", seed, 0);
  const init = splitmix32(seed % UINT32);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  if ((a | b | c | d) === 0) a = 1;

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    return result;
  };

  let spareNormal: number | null = null;

  const source: RandomSource = {
    seed,
    uniform() {
      const hi = nextUint32() >>> 5; // 27 bits
      const lo = nextUint32() >>> 6; // 26 bits
      return (hi * 67108864 + lo) / 9007199254740992;
    },
    normal() {
      if (spareNormal !== null) {
        const v = spareNormal;
        spareNormal = null;
        return v;
      }
      let u = 0;
      let v = 0;
      let s = 0;
      do {
        u = 2 * source.uniform() - 1;
        v = 2 * source.uniform() - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      const m = Math.sqrt((-2 * Math.log(s)) / s);
      spareNormal = v * m;
      return u * m;
    },
    exponential(scale = 1) {
      // Inverse CDF on (0, 1]: -log(1 - U) never evaluates log(0).
      return -Math.log(1 - source.uniform()) * scale;
    },
    integer(n) {
      requireInteger("RandomSource.integer", "n", n, 1);
      return Math.floor(source.uniform() * n);
    },
    categorical(p) {
      let total = 0;
      for (let i = 0; i < p.length; i++) {
        const pi = p[i] as number;
        if (!(pi >= 0) || !Number.isFinite(pi)) {
          throw new RangeError(`RandomSource.categorical: probabilities must be finite and >= 0; p[${i}] was ${pi}`);
        }
        total += pi;
      }
      if (!(total > 0)) throw new RangeError(`RandomSource.categorical: probabilities must not all be 0 (length ${p.length})`);
      let r = source.uniform() * total;
      for (let i = 0; i < p.length; i++) {
        r -= p[i] as number;
        if (r < 0) return i;
      }
      // Rounding can leave r >= 0 after the loop: return the last index with mass.
      for (let i = p.length - 1; i >= 0; i--) if ((p[i] as number) > 0) return i;
      return p.length - 1;
    },
    derive(label) {
      return createRandomSource(deriveSeed(seed, label));
    },
  };
  return source;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * Accepts a seed or an existing source and returns a source (helper for initialiser options).
 */
export function toRandomSource(seedOrSource: number | RandomSource | undefined, context: string): RandomSource {
  if (seedOrSource === undefined) {
    throw new RangeError(`${context}: a seed is required (randomness is explicit in dale-nn); got undefined`);
  }
  return typeof seedOrSource === "number" ? createRandomSource(seedOrSource) : seedOrSource;
}
