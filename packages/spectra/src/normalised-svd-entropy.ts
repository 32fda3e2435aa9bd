import type { MatrixInput } from "./matrix-input.js";
import { singularValuesOf } from "./internal/decompose.js";
import { readMatrix } from "./internal/read-matrix.js";
import { formatValue } from "@dale-nn/core/validation";

/**
 * Normalised SVD entropy (NSE) of a real matrix: how clustered its singular values are.
 *
 * Li et al. 2023, Sec. 2.3.2, eq. 4: H = −(1 / log N) Σᵢ σ̄ᵢ log σ̄ᵢ with σ̄ᵢ = σᵢ / Σⱼ σⱼ, where
 * σ are the N = min(rows, cols) singular values. The σ are normalised by their sum (not their
 * squares), terms with σ̄ᵢ = 0 contribute 0, and H ∈ [0, 1]: H = 1 when all singular values are
 * equal (e.g. an orthogonal matrix), H = 0 for a rank-1 matrix. Higher NSE at initialisation
 * predicted better learning of ColEI RNNs (Sec. 3.4, Fig. 7).
 *
 * @param m - a real matrix with at least 2 rows and 2 columns: `{ data, rows, cols }`, `number[][]`
 *   or a 2-D tensor
 * @returns H ∈ [0, 1]
 * @throws RangeError on an empty matrix, a wrong data length, a NaN / ±Infinity entry, a single
 *   row or column (log N = 0) or the zero matrix (Σσ = 0)
 * @example
 * normalisedSvdEntropy([[1, 0], [0, 1]]); // 1
 * normalisedSvdEntropy([[1, 2], [2, 4]]); // 0 (rank 1)
 */
export function normalisedSvdEntropy(m: MatrixInput): number {
  const a = readMatrix(m, "normalisedSvdEntropy", false);
  return entropyOf("normalisedSvdEntropy", singularValuesOf(a, "normalisedSvdEntropy"));
}

/**
 * Short name of {@link normalisedSvdEntropy} (Li et al. 2023, eq. 4): H = −Σ σ̄ log σ̄ / log N,
 * σ̄ = σ / Σσ.
 *
 * @param m - a real matrix with at least 2 rows and 2 columns
 * @returns H ∈ [0, 1]
 * @throws RangeError as {@link normalisedSvdEntropy}
 * @example
 * nse(orthogonalMatrix); // 1
 */
export const nse: (m: MatrixInput) => number = normalisedSvdEntropy;

/**
 * Normalised SVD entropy (Li et al. 2023, eq. 4) of singular values you already have, e.g. from
 * {@link singularValues} when you also plot their {@link histogram}: saves a second SVD.
 *
 * H = −(1 / log N) Σᵢ σ̄ᵢ log σ̄ᵢ, σ̄ᵢ = σᵢ / Σⱼ σⱼ, N = number of values; zero terms contribute 0.
 *
 * @param values - N ≥ 2 non-negative finite singular values, in any order
 * @returns H ∈ [0, 1]
 * @throws RangeError on fewer than 2 values, a negative or non-finite value, or all values 0
 * @example
 * const s = singularValues(w);
 * normalisedSvdEntropyFromSingularValues(s) === nse(w); // true
 */
export function normalisedSvdEntropyFromSingularValues(values: ArrayLike<number>): number {
  const context = "normalisedSvdEntropyFromSingularValues";
  if (values == null || typeof values.length !== "number") {
    throw new TypeError(`${context}: values must be an array of singular values; got ${formatValue(values)}`);
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
      throw new RangeError(`${context}: singular values must be finite and >= 0; got ${formatValue(v)} at index ${i}`);
    }
  }
  return entropyOf(context, values);
}

function entropyOf(context: string, s: ArrayLike<number>): number {
  const n = s.length;
  if (n < 2) {
    throw new RangeError(`${context}: needs at least 2 singular values (H divides by log N); got N = ${n}`);
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += s[i]!;
  if (!(total > 0)) {
    throw new RangeError(`${context}: all ${n} singular values are 0 (zero matrix); H is undefined`);
  }
  let h = 0;
  for (let i = 0; i < n; i++) {
    const p = s[i]! / total;
    if (p > 0) h -= p * Math.log(p);
  }
  return Math.min(1, Math.max(0, h / Math.log(n)));
}
