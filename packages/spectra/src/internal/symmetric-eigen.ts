import { EigenvalueDecomposition, Matrix } from "ml-matrix";

/**
 * Eigen-decomposition of a real symmetric n x n matrix (row-major, float64; only the values as given
 * are read, so pass an exactly symmetric matrix): Householder tridiagonalisation + implicit QL
 * (tred2 / tql2 of EISPACK through ml-matrix), values descending, vectors as orthonormal columns
 * of an n x n row-major matrix, each with its largest-magnitude entry made positive (a
 * deterministic sign).
 */
export function symmetricEigen(data: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const m = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m.set(i, j, data[i * n + j]!);
  const evd = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  const raw = evd.realEigenvalues;
  const vec = evd.eigenvectorMatrix;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => raw[b]! - raw[a]!);
  const values = Float64Array.from(order, (j) => raw[j]!);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    let big = 0;
    for (let i = 0; i < n; i++) if (Math.abs(vec.get(i, src)) > Math.abs(big)) big = vec.get(i, src);
    const sign = big < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) vectors[i * n + dst] = sign * vec.get(i, src);
  });
  return { values, vectors };
}
