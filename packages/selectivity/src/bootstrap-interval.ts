import { formatValue, requireInteger } from "@dale-nn/core/validation";
import { toRandomSource, type RandomSource } from "@dale-nn/ei-init";
import { readValues } from "./internal/read-array.js";

/** Options of {@link bootstrapInterval}. */
export interface BootstrapOptions {
  /** Seed (integer >= 0) or a random source; required (randomness is explicit in dale-nn). */
  seed: number | RandomSource;
  /** Number of resamples B, integer >= 1; default 10,000. */
  resamples?: number;
  /** Coverage of the interval, in (0, 1); default 0.95. */
  level?: number;
  /** The statistic of a resample; default the mean. */
  statistic?: (sample: Float64Array) => number;
}

/** Result of {@link bootstrapInterval}. */
export interface BootstrapInterval {
  /** The statistic of the original values. */
  readonly estimate: number;
  /** Lower percentile bound, the (1 − level)/2 quantile of the resampled statistics. */
  readonly lower: number;
  /** Upper percentile bound, the (1 + level)/2 quantile. */
  readonly upper: number;
  /** Coverage used. */
  readonly level: number;
  /** Number of resamples used. */
  readonly resamples: number;
  /** Number of values resampled. */
  readonly n: number;
}

/**
 * Percentile bootstrap confidence interval of a statistic over networks (paper 002, Fig. 2:
 * "95% confidence interval computed with bootstrapping across 5 networks"):
 *
 *   x*_b = n draws with replacement from x (b = 1 … B);  [lower, upper] = the (1 − level)/2 and
 *   (1 + level)/2 quantiles of { s(x*_b) },
 *
 * quantiles by linear interpolation between order statistics (numpy's default). Draws come from the
 * seeded xoshiro128** source of `@dale-nn/ei-init`, so a seed gives the same interval everywhere.
 *
 * @param values - n >= 1 finite values (one per network)
 * @param options - seed, resamples, level, statistic; see {@link BootstrapOptions}
 * @returns `{ estimate, lower, upper, level, resamples, n }`
 * @throws RangeError on no values, a non-finite value, a missing seed, a bad B or level, or a
 *   statistic that returns a non-finite number
 * @example
 * bootstrapInterval([0.8, 1.1, 0.9, 1.3, 1.0], { seed: 0 }); // { estimate: 1.02, lower ≈ 0.9, upper ≈ 1.16, ... }
 */
export function bootstrapInterval(values: ArrayLike<number>, options: BootstrapOptions): BootstrapInterval {
  const context = "bootstrapInterval";
  if (options == null || typeof options !== "object") {
    throw new TypeError(`${context}: options must be an object { seed, resamples?, level?, statistic? }; got ${formatValue(options)}`);
  }
  const v = Float64Array.from(readValues(values, context, "values"));
  const n = v.length;
  if (n === 0) throw new RangeError(`${context}: values is empty; expected at least one value (one per network)`);
  const rng = toRandomSource(options.seed, context);
  const resamples = requireInteger(context, "resamples", options.resamples ?? 10_000, 1);
  const level = options.level ?? 0.95;
  if (typeof level !== "number" || !(level > 0 && level < 1)) {
    throw new RangeError(`${context}: level must be a number in (0, 1); got ${formatValue(level)}`);
  }
  const statistic = options.statistic ?? mean;
  if (typeof statistic !== "function") throw new TypeError(`${context}: statistic must be a function (sample) => number; got ${formatValue(statistic)}`);
  const check = (s: number, what: string): number => {
    if (typeof s !== "number" || !Number.isFinite(s)) throw new RangeError(`${context}: statistic returned ${formatValue(s)} on ${what}; expected a finite number`);
    return s;
  };
  const estimate = check(statistic(Float64Array.from(v)), "the original values");
  const stats = new Float64Array(resamples);
  const sample = new Float64Array(n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) sample[i] = v[rng.integer(n)] as number;
    stats[b] = check(statistic(sample), `resample ${b}`);
  }
  stats.sort();
  const alpha = (1 - level) / 2;
  return { estimate, lower: quantile(stats, alpha), upper: quantile(stats, 1 - alpha), level, resamples, n };
}

function mean(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] as number;
  return s / x.length;
}

/** Linear-interpolation quantile of sorted values (numpy "linear"). */
function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  const t = pos - lo;
  return (sorted[lo] as number) * (1 - t) + (sorted[hi] as number) * t;
}
