import type { MatrixInput } from "./matrix-input.js";
import { singularValuesOf } from "./internal/decompose.js";
import { readMatrix } from "./internal/read-matrix.js";

/**
 * Largest singular value σ_max(W) = ‖W‖₂ = max_{‖x‖=1} ‖Wx‖ (the operator 2-norm).
 *
 * Li et al. 2023, Sec. 3.2: for standard and DANN RNNs σ_max ≈ 2ρ, while ColEI matrices have a mode
 * of large singular values even when ρ is fixed at 1.5; along those directions activity and
 * gradients are stretched. Computed from the values-only SVD (exact, no power iteration).
 *
 * @param m - a real matrix of any shape: `{ data, rows, cols }`, `number[][]` or a 2-D tensor
 * @returns σ_max ≥ 0
 * @throws RangeError on an empty matrix, a wrong data length or a NaN / ±Infinity entry
 * @example
 * largestSingularValue([[1, 1], [0, 1]]); // golden ratio ≈ 1.618
 */
export function largestSingularValue(m: MatrixInput): number {
  return singularValuesOf(readMatrix(m, "largestSingularValue", false), "largestSingularValue")[0]!;
}
