// Stimuli.
export { gratingSet, type GratingSet, type GratingSetOptions, type GratingLayout } from "./grating-set.js";

// Inputs and responses.
export type { NdArrayLike, TensorLikeInput } from "./array-input.js";
export { toResponseMatrix, type ResponseMatrix, type ResponsesInput } from "./response-matrix.js";
export { centreResponses, type CentreResponsesOptions, type FeatureMapInput } from "./centre-responses.js";
export { collectResponses } from "./collect-responses.js";
export { silentChannels, type ChannelPartition, type SilenceOptions } from "./silent-channels.js";
export { PAPER_THRESHOLD } from "./thresholds.js";

// Selectivity (eq. 3, eq. 4).
export { gosi } from "./gosi.js";
export { skewness } from "./skewness.js";
export { gratingTuning, type GratingTuning } from "./grating-tuning.js";
export { responseSkewness, type ResponseSkewness } from "./response-skewness.js";

// Connectivity.
export { rebuildSeparableKernel, type Kernel4D, type KernelInput } from "./separable-kernel.js";
export { spatialMeanKernel, type ConnectionMatrix } from "./spatial-mean-kernel.js";
export { channelGroups, type ChannelRange } from "./channel-groups.js";
export { weightBlock } from "./weight-block.js";
export { connectionDensity, type ConnectionDensityOptions, type WeightsInput } from "./connection-density.js";
export { weightHistogram, type WeightHistogram, type WeightHistogramOptions } from "./weight-histogram.js";

// Summaries over networks.
export { meanAndStd, type MeanAndStd, type MeanAndStdOptions } from "./mean-and-std.js";
export { bootstrapInterval, type BootstrapInterval, type BootstrapOptions } from "./bootstrap-interval.js";
export { summarizeOverNetworks, type NetworkSummary, type NetworkSummaryOptions } from "./summarize-over-networks.js";
export { eiDifferences, type EiDifferences, type NetworkEiMeasures } from "./ei-differences.js";
