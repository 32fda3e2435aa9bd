import type { DenseMatrix, MatrixInput } from "./matrix-input.js";
import { singularValuesOf, svdOf } from "./internal/decompose.js";
import { readMatrix } from "./internal/read-matrix.js";

/**
 * Spectrum transplant: the singular vectors of `a` with the singular values of `b`,
 * W = U_a diag(σ_b) V_aᵀ.
 *
 * Li et al. 2023, Sec. 2.3.1 and 3.3: W₁ = U_RNN Σ_ColEI V_RNNᵀ gives a standard RNN the spectrum
 * of a ColEI network, W₂ = U_ColEI Σ_RNN V_ColEIᵀ the reverse (ColEI taken after its ρ = 1.5
 * rescale). Both sets of singular values are sorted descending, so the k-th largest value of `b`
 * goes with the k-th singular-vector pair of `a`. The result has exactly the singular values of `b`
 * and the singular vectors of `a` (up to rounding); its signs generally differ from `a`'s, so a
 * sign-constrained network needs its constraint re-applied or a "sign-frozen" variant (Sec. 3.3).
 *
 * @param a - matrix whose singular vectors are kept: `{ data, rows, cols }`, `number[][]` or a 2-D tensor
 * @param b - matrix whose singular values are used; same shape as `a`
 * @returns a new float64 matrix of the shape of `a`
 * @throws RangeError when the shapes differ (`transplantSpectrum: a and b must have the same
 *   shape; got 3 x 3 and 4 x 4`), or on an empty matrix, a wrong data length or a NaN / ±Infinity entry
 * @example
 * const w1 = transplantSpectrum(wRnn, wColEi); // RNN singular vectors, ColEI singular values
 */
export function transplantSpectrum(a: MatrixInput, b: MatrixInput): DenseMatrix {
  const context = "transplantSpectrum";
  const vectors = readMatrix(a, `${context} (a)`, false);
  const values = readMatrix(b, `${context} (b)`, false);
  if (vectors.rows !== values.rows || vectors.cols !== values.cols) {
    throw new RangeError(
      `${context}: a and b must have the same shape; got ${vectors.rows} x ${vectors.cols} and ${values.rows} x ${values.cols}`,
    );
  }
  const { u, v } = svdOf(vectors);
  const s = singularValuesOf(values, "transplantSpectrum");
  return composeUsvT(u, s, v);
}

/** U diag(s) Vᵀ for U (m x k), V (n x k), both row-major: W[i][j] = Σ_r U[i][r] s[r] V[j][r]. */
function composeUsvT(u: DenseMatrix, s: Float64Array, v: DenseMatrix): DenseMatrix {
  const m = u.rows;
  const n = v.rows;
  const k = s.length;
  const us = new Float64Array(k);
  const data = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let r = 0; r < k; r++) us[r] = u.data[i * k + r]! * s[r]!;
    for (let j = 0; j < n; j++) {
      let sum = 0;
      const offset = j * k;
      for (let r = 0; r < k; r++) sum += us[r]! * v.data[offset + r]!;
      data[i * n + j] = sum;
    }
  }
  return { data, rows: m, cols: n };
}
