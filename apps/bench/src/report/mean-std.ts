/** Mean and sample standard deviation of the finite values of a list. */
export interface MeanStd {
  /** Mean; NaN when `n` is 0. */
  mean: number;
  /** Sample standard deviation (n − 1 denominator); NaN when `n` < 2. */
  std: number;
  /** Number of finite values. */
  n: number;
}

/**
 * Mean and sample standard deviation of the finite values of `values`, times `scale` (100 for
 * fractions to percent): std = sqrt(Σ (x_i − mean)² / (n − 1)), as the papers' "mean ± std over seeds".
 * Non-finite values (diverged runs, JSON null) are left out; `n` says how many entered.
 *
 * @param values - the values (null and NaN skipped)
 * @param scale - factor applied to every value first; default 1
 * @returns mean, std and count
 * @example
 * meanStd([0.01, 0.03], 100); // { mean: 2, std: 1.414..., n: 2 }
 */
export function meanStd(values: ReadonlyArray<number | null | undefined>, scale = 1): MeanStd {
  const xs = values.filter((v): v is number => typeof v === "number" && Number.isFinite(v)).map((v) => v * scale);
  const n = xs.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN, n };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, std: Number.NaN, n };
  return { mean, std: Math.sqrt(xs.reduce((a, x) => a + (x - mean) * (x - mean), 0) / (n - 1)), n };
}

/**
 * "mean ± std" with `digits` decimals; the std is left out when not finite (one value), `empty`
 * when there is no value.
 *
 * @example
 * formatMeanStd({ mean: 1.5, std: 0.25, n: 2 }, 3); // "1.500 ± 0.250"
 */
export function formatMeanStd(s: MeanStd, digits: number, options: { empty?: string; suffix?: string; missingStd?: string } = {}): string {
  const { empty = "—", suffix = "", missingStd } = options;
  if (!Number.isFinite(s.mean)) return empty;
  if (Number.isFinite(s.std)) return `${s.mean.toFixed(digits)}${suffix} ± ${s.std.toFixed(digits)}`;
  return missingStd === undefined ? `${s.mean.toFixed(digits)}${suffix}` : `${s.mean.toFixed(digits)}${suffix} ± ${missingStd}`;
}
