import { requireNonNegative } from "@dale-nn/core/validation";
import { toResponseMatrix, type ResponsesInput } from "./response-matrix.js";
import { partitionChannels } from "./internal/partition-channels.js";
import type { ChannelPartition, SilenceOptions } from "./silent-channels.js";
import { skewnessOf } from "./internal/skewness-of.js";
import { PAPER_THRESHOLD } from "./thresholds.js";

/** Result of {@link responseSkewness}. */
export interface ResponseSkewness extends ChannelPartition {
  /** Number of channels. */
  readonly channels: number;
  /** γ_j per channel (eq. 4); NaN for silent channels. */
  readonly skewness: Float64Array;
  /** Mean γ over responsive channels (NaN when none). */
  readonly mean: number;
}

/**
 * Skewness of each channel's responses over a set of stimuli (paper 002, Sec. 2, eq. 4, Fig. 2c):
 * image skewness over natural images (the 10,000 CIFAR-10 test images in the paper), or orientation
 * skewness over gratings:
 *
 *   γ_j = m₃ / m₂^{3/2},  m_p = (1/M) Σ_k (r_{j,k} − r̄_j)^p,
 *
 * leaving out (NaN) and listing the channels whose max response is ≤ exp(−10) on these stimuli.
 *
 * @param responses - [stimuli, channels], any finite values
 * @param options - the silence threshold; see {@link SilenceOptions}
 * @returns per-channel γ, their mean over responsive channels, and the responsive / silent split
 * @throws RangeError on bad responses or a bad threshold
 * @example
 * const pn = responseSkewness(await collectResponses(10000, 500, pnCentreResponses));
 * pn.mean; pn.silent.length;
 */
export function responseSkewness(responses: ResponsesInput, options: SilenceOptions = {}): ResponseSkewness {
  const r = toResponseMatrix(responses, "responseSkewness");
  const threshold = requireNonNegative("responseSkewness", "threshold", options.threshold ?? PAPER_THRESHOLD);
  const partition = partitionChannels(r.data, r.rows, r.cols, threshold);
  const skewness = new Float64Array(r.cols).fill(Number.NaN);
  let sum = 0;
  for (const j of partition.responsive) {
    skewness[j] = skewnessOf(r.data, j, r.cols, r.rows);
    sum += skewness[j] as number;
  }
  const m = partition.responsive.length;
  return { channels: r.cols, ...partition, skewness, mean: m === 0 ? Number.NaN : sum / m };
}
