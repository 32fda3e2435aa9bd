/**
 * A float64 reference of the continuous-time E/I RNN (plain loops over Float64Array, no tfjs),
 * written from the equations for the tests: Euler steps with α = dt/τ per unit, the Dale / free /
 * mixture recurrent weights with their parametrisations, sigmoid-bounded τ and a.
 */
export type Phi = (x: number) => number;
export const relu64: Phi = (x) => Math.max(0, x);
export const softplus64: Phi = (x) => Math.log1p(Math.exp(x));
export const tanh64: Phi = Math.tanh;
export const sigmoid64 = (x: number): number => 1 / (1 + Math.exp(-x));

export interface CtRnn64Params {
  /** [n, nIn] */
  wIn: Float64Array;
  /** effective [n, n] */
  wRec: Float64Array;
  bias: Float64Array;
  /** effective [nOut, n] */
  wOut: Float64Array;
  biasOut: Float64Array;
  /** ms, [n] */
  tau: Float64Array;
  v0?: Float64Array;
}

/**
 * v_{t+1} = (1 − α) v_t + α (W_rec φ(v_t) + W_in u_t + b) + √(2α) σ ξ_t, z = W_out φ(v_{t+1}) + b_out,
 * for u [B, T, nIn] row-major; ξ [T, B, n] standard normals (optional). Returns states [B, T, n] and outputs [B, T, nOut].
 */
export function ctRnn64(
  p: CtRnn64Params, u: ArrayLike<number>, B: number, T: number, nIn: number, dt: number, phi: Phi = relu64,
  noise?: { xi: ArrayLike<number>; sigma: number },
): { states: Float64Array; outputs: Float64Array } {
  const n = p.bias.length;
  const nOut = p.biasOut.length;
  const states = new Float64Array(B * T * n);
  const outputs = new Float64Array(B * T * nOut);
  for (let b = 0; b < B; b++) {
    let v = p.v0 ? Float64Array.from(p.v0) : new Float64Array(n);
    for (let t = 0; t < T; t++) {
      const r = v.map(phi);
      const next = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const alpha = dt / p.tau[i]!;
        let s = p.bias[i]!;
        for (let k = 0; k < nIn; k++) s += p.wIn[i * nIn + k]! * (u[(b * T + t) * nIn + k] as number);
        for (let j = 0; j < n; j++) s += p.wRec[i * n + j]! * r[j]!;
        next[i] = (1 - alpha) * v[i]! + alpha * s + (noise ? Math.sqrt(2 * alpha) * noise.sigma * (noise.xi[(t * B + b) * n + i] as number) : 0);
      }
      v = next;
      states.set(v, (b * T + t) * n);
      const rv = v.map(phi);
      for (let o = 0; o < nOut; o++) {
        let z = p.biasOut[o]!;
        for (let j = 0; j < n; j++) z += p.wOut[o * n + j]! * rv[j]!;
        outputs[(b * T + t) * nOut + o] = z;
      }
    }
  }
  return { states, outputs };
}

/** |W̃| ⊙ C · diag(s). */
export function daleAbs64(w: ArrayLike<number>, signs: ArrayLike<number>, mask: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = Math.abs(w[i * n + j] as number) * (mask[i * n + j] as number) * (signs[j] as number);
  return out;
}

/** W ⊙ C. */
export function masked64(w: ArrayLike<number>, mask: ArrayLike<number>): Float64Array {
  return Float64Array.from(w as ArrayLike<number>, (v, i) => v * (mask[i] as number));
}

/** c W / ‖W‖_F. */
export function frobeniusScale64(w: Float64Array, c: number): Float64Array {
  const f = Math.sqrt(w.reduce((s, v) => s + v * v, 0));
  return w.map((v) => (v * c) / f);
}

/** W_d · diag(a) + W_f · diag(1 − a), a scalar (length 1) or per column. */
export function mix64(wd: Float64Array, wf: Float64Array, a: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const aj = (a.length === 1 ? a[0] : a[j]) as number;
      out[i * n + j] = aj * wd[i * n + j]! + (1 - aj) * wf[i * n + j]!;
    }
  }
  return out;
}
