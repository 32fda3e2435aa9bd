import { formatValue } from "@dale-nn/core/validation";
import { readValues } from "./internal/read-array.js";

/** Options of {@link meanAndStd}. */
export interface MeanAndStdOptions {
  /** Delta degrees of freedom: std² = Σ(x − x̄)² / (n − ddof); 1 (sample, default) or 0 (population). */
  ddof?: 0 | 1;
}

/** Result of {@link meanAndStd}. */
export interface MeanAndStd {
  /** x̄ = (1/n) Σ x_i. */
  readonly mean: number;
  /** Standard deviation; NaN when n ≤ ddof (one network with the sample form). */
  readonly std: number;
  /** Number of values. */
  readonly n: number;
}

/**
 * Mean ± standard deviation of a per-network quantity (paper 002, Fig. 4 and 9: dark circles are
 * averages over networks):
 *
 *   x̄ = (1/n) Σ x_i,  s = √(Σ (x_i − x̄)² / (n − ddof)).
 *
 * @param values - n >= 1 finite values
 * @param options - `ddof`; see {@link MeanAndStdOptions}
 * @returns `{ mean, std, n }`
 * @throws RangeError on no values, a non-finite value or a ddof other than 0 or 1
 * @example
 * meanAndStd([1, 2, 3]); // { mean: 2, std: 1, n: 3 }
 */
export function meanAndStd(values: ArrayLike<number>, options: MeanAndStdOptions = {}): MeanAndStd {
  const context = "meanAndStd";
  const v = readValues(values, context, "values");
  const ddof = options.ddof ?? 1;
  if (ddof !== 0 && ddof !== 1) throw new RangeError(`${context}: ddof must be 0 or 1; got ${formatValue(ddof)}`);
  const n = v.length;
  if (n === 0) throw new RangeError(`${context}: values is empty; expected at least one value`);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += v[i] as number;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((v[i] as number) - mean) ** 2;
  return { mean, std: n > ddof ? Math.sqrt(ss / (n - ddof)) : Number.NaN, n };
}
