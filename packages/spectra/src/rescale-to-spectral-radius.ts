import type { DenseMatrix, MatrixInput } from "./matrix-input.js";
import { eigenvaluesOf } from "./internal/decompose.js";
import { readMatrix } from "./internal/read-matrix.js";
import { requirePositive } from "@dale-nn/core/validation";

/**
 * Rescales a square matrix so that its spectral radius is ρ: W ← (ρ / ρ₀) W, ρ₀ = max_k |λ_k(W)|.
 *
 * Li et al. 2023, Sec. 2.2 and App. 6.6, eq. 7: ColEI recurrent weights are set so that ρ = 1.5
 * (the authors' code: "W multiplied by rho / max|eig(W)|", eigenvalues of the signed matrix).
 * Multiplying by a positive scalar keeps every sign, so Dale's-law column signs survive. The
 * eigenvectors and the shape of the singular-value spectrum are unchanged; σ_max scales by the
 * same factor ρ / ρ₀.
 *
 * @param m - a real square matrix: `{ data, rows, cols }`, `number[][]` or a 2-D tensor
 * @param rho - target spectral radius, a finite number > 0 (1.5 for ColEI RNNs)
 * @returns a new float64 matrix with spectral radius ρ (to rounding); the input is not modified.
 *   For a tensor: `tf.tensor2d(Float32Array.from(r.data), [r.rows, r.cols])` (tfjs takes no Float64Array)
 * @throws RangeError on a non-square matrix (`rescaleToSpectralRadius: matrix must be square; got
 *   3 x 4`), an empty matrix, a NaN / ±Infinity entry, ρ ≤ 0, or a matrix whose spectral radius is
 *   0 to rounding (a nilpotent or zero matrix cannot be rescaled)
 * @example
 * const w = rescaleToSpectralRadius([[0, 2], [2, 0]], 1.5); // [[0, 1.5], [1.5, 0]] (ρ₀ was 2)
 */
export function rescaleToSpectralRadius(m: MatrixInput, rho: number): DenseMatrix {
  const context = "rescaleToSpectralRadius";
  const a = readMatrix(m, context, true);
  requirePositive(context, "rho", rho);
  const { re, im } = eigenvaluesOf(a, "rescaleToSpectralRadius");
  let radius = 0;
  for (let k = 0; k < re.length; k++) radius = Math.max(radius, Math.hypot(re[k]!, im[k]!));
  let frobenius = 0;
  for (let k = 0; k < a.data.length; k++) frobenius += a.data[k]! * a.data[k]!;
  frobenius = Math.sqrt(frobenius);
  if (!(radius > a.rows * Number.EPSILON * frobenius)) {
    throw new RangeError(
      `${context}: the matrix has spectral radius ${radius} (0 to rounding, Frobenius norm ${frobenius}); ` +
        `a nilpotent or zero matrix cannot be rescaled to radius ${rho}`,
    );
  }
  const scale = rho / radius;
  const data = Float64Array.from(a.data, (x) => x * scale);
  return { data, rows: a.rows, cols: a.cols };
}
