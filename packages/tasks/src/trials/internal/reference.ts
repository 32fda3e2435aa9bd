/** Plain-JS float64 references for the masked losses (tests only; never re-exported). */

/** Σ m (z − y)² / Σ m (or / N), with m per element or per step (broadcast over the last axis of width n). */
export function mse64(z: ArrayLike<number>, y: ArrayLike<number>, m: ArrayLike<number>, n: number, divideBy: "mask-sum" | "all-elements" = "mask-sum"): number {
  const perStep = m.length * n === z.length && n > 1;
  let num = 0;
  let den = 0;
  for (let i = 0; i < z.length; i++) {
    const w = perStep ? (m[Math.floor(i / n)] as number) : (m[i] as number);
    num += w * ((z[i] as number) - (y[i] as number)) ** 2;
    den += w;
  }
  if (divideBy === "all-elements") return num / z.length;
  return den === 0 ? 0 : num / den;
}

/** −Σ m log softmax(z)[label] / Σ m (or / number of steps), z of K logits per step. */
export function crossEntropy64(z: ArrayLike<number>, labels: ArrayLike<number>, m: ArrayLike<number>, K: number, divideBy: "mask-sum" | "all-elements" = "mask-sum"): number {
  let num = 0;
  let den = 0;
  for (let s = 0; s < labels.length; s++) {
    let mx = -Infinity;
    for (let k = 0; k < K; k++) mx = Math.max(mx, z[s * K + k] as number);
    let lse = 0;
    for (let k = 0; k < K; k++) lse += Math.exp((z[s * K + k] as number) - mx);
    const logp = (z[s * K + (labels[s] as number)] as number) - mx - Math.log(lse);
    num -= (m[s] as number) * logp;
    den += m[s] as number;
  }
  if (divideBy === "all-elements") return num / labels.length;
  return den === 0 ? 0 : num / den;
}

/** A seeded stream of uniforms in [lo, hi) (float32-representable). */
export function uniforms(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = lo + ((hi - lo) * s) / 2 ** 32;
  }
  return out;
}
