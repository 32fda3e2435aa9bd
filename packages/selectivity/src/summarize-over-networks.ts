import { bootstrapInterval, type BootstrapOptions } from "./bootstrap-interval.js";
import { meanAndStd } from "./mean-and-std.js";

/** Options of {@link summarizeOverNetworks}: those of {@link bootstrapInterval} (the statistic is the mean). */
export type NetworkSummaryOptions = Omit<BootstrapOptions, "statistic">;

/** One quantity over networks: the values, mean ± std and the bootstrap interval of the mean. */
export interface NetworkSummary {
  /** One value per network, as given. */
  readonly values: Float64Array;
  /** Number of networks. */
  readonly n: number;
  /** Mean over networks. */
  readonly mean: number;
  /** Sample standard deviation (n − 1); NaN for one network. */
  readonly std: number;
  /** Lower bound of the percentile bootstrap interval of the mean. */
  readonly lower: number;
  /** Upper bound of the percentile bootstrap interval of the mean. */
  readonly upper: number;
  /** Coverage of the interval. */
  readonly level: number;
  /** Number of bootstrap resamples. */
  readonly resamples: number;
}

/**
 * Mean ± std and the seeded 95% percentile-bootstrap interval of the mean of a per-network value
 * (paper 002, Fig. 2, 4, 5, 9: light circles the networks, dark circles the mean, error bars the
 * bootstrap interval over 5 networks). See {@link meanAndStd} and {@link bootstrapInterval}.
 *
 * @param values - one finite value per network (n >= 1)
 * @param options - seed, resamples, level; see {@link NetworkSummaryOptions}
 * @returns a {@link NetworkSummary}
 * @throws RangeError as {@link bootstrapInterval}
 * @example
 * summarizeOverNetworks(gosiPerNetwork, { seed: 1, resamples: 10000 });
 */
export function summarizeOverNetworks(values: ArrayLike<number>, options: NetworkSummaryOptions): NetworkSummary {
  const b = bootstrapInterval(values, { ...options, statistic: undefined });
  const { mean, std, n } = meanAndStd(values);
  return { values: Float64Array.from(values), n, mean, std, lower: b.lower, upper: b.upper, level: b.level, resamples: b.resamples };
}
