import type { MatrixInput } from "./matrix-input.js";
import { singularValuesOf } from "./internal/decompose.js";
import { readMatrix } from "./internal/read-matrix.js";

/**
 * Singular values σ₁ ≥ σ₂ ≥ … ≥ σ_k ≥ 0 of a real matrix (k = min(rows, cols)), in float64.
 *
 * W = U Σ Vᵀ with Σ = diag(σ); the singular-value spectrum is what separates ColEI from standard
 * and DANN RNNs (Li et al. 2023, Sec. 2.3.1 and 3.2, Fig. 3 D-F). Computed values-only on flat
 * Float64Arrays: Householder bidiagonalisation (of Wᵀ when W is wide), then Golub-Kahan
 * implicit-shift QR on the bidiagonal; U and V are never formed, so this is much faster than {@link svd}.
 *
 * @param m - a real matrix of any shape: `{ data, rows, cols }`, `number[][]` or a 2-D tensor
 * @returns the singular values, descending, as a new Float64Array of length min(rows, cols)
 * @throws RangeError on an empty matrix, a wrong data length or a NaN / ±Infinity entry
 *   (`singularValues: matrix has a non-finite entry NaN at (2, 5); expected a finite number`)
 * @throws Error if the bidiagonal QR does not converge (75 sweeps per value on average); not seen in practice
 * @example
 * singularValues([[3, 0], [0, -4]]); // Float64Array [4, 3]
 */
export function singularValues(m: MatrixInput): Float64Array {
  return singularValuesOf(readMatrix(m, "singularValues", false));
}
