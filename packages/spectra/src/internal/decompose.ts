import { Matrix, SingularValueDecomposition } from "ml-matrix";
import type { DenseMatrix } from "../matrix-input.js";
import { eigenvaluesFlat } from "./eigenvalues-flat.js";
import { singularValuesFlat } from "./singular-values-flat.js";
import { registeredDenseSolvers } from "../dense-solvers.js";

/** Result of {@link svdOf}: W = U diag(s) Vᵀ, economy size (k = min(rows, cols)). */
export interface SvdParts {
  u: DenseMatrix;
  s: Float64Array;
  v: DenseMatrix;
}

/**
 * Singular values (descending) of a validated matrix, without forming U or V: Householder
 * bidiagonalisation + implicit-shift bidiagonal QR on flat Float64Arrays (./singular-values-flat.ts).
 */
export function singularValuesOf(a: DenseMatrix, context = "singularValues"): Float64Array {
  const native = registeredDenseSolvers()?.singularValues;
  const s = native ? native(a.data, a.rows, a.cols) : singularValuesFlat(a.data, a.rows, a.cols, context);
  return isDescending(s) ? s : s.sort().reverse();
}

/** Economy SVD of a validated matrix: u is rows x k, v is cols x k, s descending. */
export function svdOf(a: DenseMatrix): SvdParts {
  const decomposition = new SingularValueDecomposition(toMlMatrix(a), { autoTranspose: true });
  const k = Math.min(a.rows, a.cols);
  const raw = decomposition.diagonal;
  let u = fromMlMatrix(decomposition.leftSingularVectors, k);
  let v = fromMlMatrix(decomposition.rightSingularVectors, k);
  let s = Float64Array.from(raw.slice(0, k));
  // ml-matrix returns non-negative values in descending order; enforce both in case a future
  // version does not (a negative value flips the sign of its left vector).
  for (let j = 0; j < k; j++) {
    if (s[j]! < 0) {
      s[j] = -s[j]!;
      for (let i = 0; i < u.rows; i++) u.data[i * k + j] = -u.data[i * k + j]!;
    }
  }
  if (!isDescending(s)) {
    const order = Array.from(s.keys()).sort((x, y) => s[y]! - s[x]!);
    s = Float64Array.from(order, (j) => s[j]!);
    u = permuteColumns(u, order);
    v = permuteColumns(v, order);
  }
  return { u, s, v };
}

/**
 * Eigenvalues of a validated square matrix (unsorted), values only: balancing + Hessenberg
 * reduction + Francis double-shift QR, or tridiagonal QL when the matrix is exactly symmetric
 * (./eigenvalues-flat.ts).
 */
export function eigenvaluesOf(a: DenseMatrix, context = "eigenvalues"): { re: Float64Array; im: Float64Array } {
  const native = registeredDenseSolvers()?.eigenvalues;
  return native ? native(a.data, a.rows) : eigenvaluesFlat(a.data, a.rows, { context });
}

/** Copies a row-major float64 matrix into an ml-matrix `Matrix`. */
function toMlMatrix(m: DenseMatrix): Matrix {
  const out = new Matrix(m.rows, m.cols);
  const { data, cols } = m;
  for (let i = 0; i < m.rows; i++) {
    const offset = i * cols;
    for (let j = 0; j < cols; j++) out.set(i, j, data[offset + j]!);
  }
  return out;
}

/** Copies the first `cols` columns of an ml-matrix `Matrix` into a row-major float64 matrix. */
function fromMlMatrix(m: Matrix, cols: number): DenseMatrix {
  const rows = m.rows;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const offset = i * cols;
    for (let j = 0; j < cols; j++) data[offset + j] = m.get(i, j);
  }
  return { data, rows, cols };
}

function permuteColumns(m: DenseMatrix, order: readonly number[]): DenseMatrix {
  const data = new Float64Array(m.data.length);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) data[i * m.cols + j] = m.data[i * m.cols + order[j]!]!;
  }
  return { data, rows: m.rows, cols: m.cols };
}

function isDescending(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) if (values[i]! > values[i - 1]!) return false;
  return true;
}
