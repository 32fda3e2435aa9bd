import type { DenseMatrix, MatrixInput } from "./matrix-input.js";
import { svdOf } from "./internal/decompose.js";
import { readMatrix } from "./internal/read-matrix.js";

/** Result of {@link svd}: W = U diag(s) Vᵀ. */
export interface Svd {
  /** Left singular vectors as columns, rows x k (k = min(rows, cols)); orthonormal columns. */
  u: DenseMatrix;
  /** Singular values, descending, non-negative, length k. */
  s: Float64Array;
  /** Right singular vectors as columns, cols x k; orthonormal columns. */
  v: DenseMatrix;
}

/**
 * Singular value decomposition W = U Σ Vᵀ of a real matrix, in float64.
 *
 * Li et al. 2023, Sec. 2.3.1: "W = UΣVᵀ, where U and V are orthonormal matrices whose columns are
 * singular vectors". For a square n x n matrix U and V are full n x n orthogonal matrices; for a
 * rectangular one this is the economy SVD (k = min(rows, cols) columns each). Singular vectors are
 * unique only up to a joint sign per column (and a rotation within repeated singular values).
 *
 * @param m - a real matrix of any shape: `{ data, rows, cols }`, `number[][]` or a 2-D tensor
 * @returns `{ u, s, v }`, new float64 arrays
 * @throws RangeError on an empty matrix, a wrong data length or a NaN / ±Infinity entry
 * @example
 * const { u, s, v } = svd([[0, 2], [1, 0]]);
 * s; // Float64Array [2, 1]
 */
export function svd(m: MatrixInput): Svd {
  return svdOf(readMatrix(m, "svd", false));
}
