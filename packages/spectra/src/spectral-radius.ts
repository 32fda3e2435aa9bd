import type { MatrixInput } from "./matrix-input.js";
import { eigenvaluesOf } from "./internal/decompose.js";
import { readMatrix } from "./internal/read-matrix.js";

/**
 * Spectral radius ρ(W) = max_k |λ_k| of a real square matrix (largest eigenvalue modulus).
 *
 * Li et al. 2023, Sec. 3.1-3.2: ColEI RNNs are initialised with ρ = 1.5, standard and DANN RNNs have
 * ρ ≈ 1/√3 (PyTorch's default initialisation). ρ(W) ≤ σ_max(W), and for the non-normal ColEI
 * matrices σ_max is much larger than ρ (Sec. 3.2).
 *
 * @param m - a real square matrix: `{ data, rows, cols }`, `number[][]` or a 2-D tensor
 * @returns ρ(W) ≥ 0
 * @throws RangeError on a non-square matrix (`spectralRadius: matrix must be square; got 3 x 4`),
 *   an empty matrix, a wrong data length or a NaN / ±Infinity entry
 * @example
 * spectralRadius([[1, 2], [3, 4]]); // (5 + √33) / 2 ≈ 5.372
 */
export function spectralRadius(m: MatrixInput): number {
  return spectralRadiusOf(eigenvaluesOf(readMatrix(m, "spectralRadius", true), "spectralRadius"));
}

function spectralRadiusOf({ re, im }: { re: Float64Array; im: Float64Array }): number {
  let radius = 0;
  for (let k = 0; k < re.length; k++) radius = Math.max(radius, Math.hypot(re[k]!, im[k]!));
  return radius;
}
