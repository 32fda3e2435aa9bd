/**
 * Test helper (never exported from the package; other packages' tests import it by path): the
 * DaleDannDense_v2 contract in float64 plain loops, independent of tfjs, for gradient checks of its
 * fallback and of backends' kernels (central differences and relative errors: @dale-nn/test-support).
 */

/** The layer's numbers, flat row-major: x [B, d], wEE [ne, d], wIE [ni, d], wEI [ne, ni], b [ne]; alpha [ni], g [ne] when divisive. */
export interface DannV2Groups {
  x: Float64Array;
  wEE: Float64Array;
  wIE: Float64Array;
  wEI: Float64Array;
  b: Float64Array;
  alpha?: Float64Array;
  g?: Float64Array;
}

/** Sizes and flags of one layer. */
export interface DannV2Case {
  B: number;
  d: number;
  ne: number;
  ni: number;
  divisive: boolean;
  activation: "linear" | "relu";
  eps?: number;
}

/**
 * y = f(z) of Cornford et al. (2021), eq. 1, in float64: z = g ⊙ (W_EE x − W_EI W_IE x) /
 * (W_EI (e^α ⊙ W_IE x) + eps) + b when divisive, else z = W_EE x − W_EI W_IE x + b.
 *
 * @returns y, [B, ne] flat
 */
export function dannDenseV2Forward64(p: DannV2Groups, c: DannV2Case): Float64Array {
  const { B, d, ne, ni } = c;
  const eps = c.eps ?? 1e-8;
  const y = new Float64Array(B * ne);
  const zI = new Float64Array(ni);
  for (let r = 0; r < B; r++) {
    for (let j = 0; j < ni; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += p.wIE[j * d + k]! * p.x[r * d + k]!;
      zI[j] = s;
    }
    for (let i = 0; i < ne; i++) {
      let zE = 0;
      for (let k = 0; k < d; k++) zE += p.wEE[i * d + k]! * p.x[r * d + k]!;
      let sub = 0;
      let gamma = eps;
      for (let j = 0; j < ni; j++) {
        sub += p.wEI[i * ni + j]! * zI[j]!;
        if (c.divisive) gamma += p.wEI[i * ni + j]! * Math.exp(p.alpha![j]!) * zI[j]!;
      }
      const z = c.divisive ? (p.g![i]! * (zE - sub)) / gamma + p.b[i]! : zE - sub + p.b[i]!;
      y[r * ne + i] = c.activation === "relu" ? Math.max(0, z) : z;
    }
  }
  return y;
}

/**
 * Seeded float32-representable values of one layer in a Dale regime (x ≥ 0, weights > 0), with a
 * bias spread around 0 so ReLU cuts some units, from a small linear congruential generator.
 */
export function dannV2Groups(c: DannV2Case, seed: number): DannV2Groups {
  let state = (seed * 2654435761 + 12345) >>> 0;
  const uniform = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const f32 = (n: number, lo: number, hi: number): Float64Array => Float64Array.from(Float32Array.from({ length: n }, () => lo + (hi - lo) * uniform()));
  const { B, d, ne, ni } = c;
  return {
    x: f32(B * d, 0, 1),
    wEE: f32(ne * d, 0.05, 1),
    wIE: f32(ni * d, 0.05, 1),
    wEI: f32(ne * ni, 0.05, 1),
    b: f32(ne, c.divisive ? -0.6 : -2, c.divisive ? 0.6 : 2),
    ...(c.divisive ? { alpha: f32(ni, -0.7, 0.7), g: f32(ne, 0.5, 1.5) } : {}),
  };
}
