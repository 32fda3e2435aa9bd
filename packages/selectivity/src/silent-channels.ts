import { requireNonNegative } from "@dale-nn/core/validation";
import { toResponseMatrix, type ResponsesInput } from "./response-matrix.js";
import { PAPER_THRESHOLD } from "./thresholds.js";
import { partitionChannels } from "./internal/partition-channels.js";

/** Options of {@link silentChannels} (and of the analyses that leave silent channels out). */
export interface SilenceOptions {
  /** A channel is silent when max_k r_{j,k} ≤ threshold; default exp(−10) ({@link PAPER_THRESHOLD}). */
  threshold?: number;
}

/** Which channels responded: indices into the channels, increasing. */
export interface ChannelPartition {
  /** Channels with max response > threshold: the ones analysed. */
  readonly responsive: Int32Array;
  /** Channels that never responded above threshold: left out, reported here. */
  readonly silent: Int32Array;
}

/**
 * Splits channels into responsive and silent ones (paper 002: channels that never respond are
 * left out of gOSI and skewness):
 *
 *   silent_j ⇔ max_k r_{j,k} ≤ threshold (default exp(−10)).
 *
 * @param responses - [stimuli, channels]; see {@link ResponsesInput}
 * @param options - the threshold; see {@link SilenceOptions}
 * @returns `{ responsive, silent }` channel indices
 * @throws RangeError on bad responses or a negative / non-finite threshold
 * @example
 * silentChannels([[0, 1], [0, 2]]); // { responsive: [1], silent: [0] }
 */
export function silentChannels(responses: ResponsesInput, options: SilenceOptions = {}): ChannelPartition {
  const r = toResponseMatrix(responses, "silentChannels");
  const threshold = requireNonNegative("silentChannels", "threshold", options.threshold ?? PAPER_THRESHOLD);
  return partitionChannels(r.data, r.rows, r.cols, threshold);
}

