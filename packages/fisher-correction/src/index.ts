export {
  dannUpdateCorrection,
  dannCorrectionScale,
  DANN_CORRECTION_VARIANTS,
  type DannCorrectionVariant,
  type DannUpdateCorrectionOptions,
} from "./dann-update-correction.js";
export {
  sampledFisherDiagonal,
  type SampledFisherDiagonal,
  type SampledFisherDiagonalOptions,
} from "./sampled-fisher-diagonal.js";
export {
  DiagonalFisherPreconditioner,
  DEFAULT_FISHER_LAMBDA,
  DEFAULT_FISHER_MOMENTUM,
  DEFAULT_FISHER_EPS,
  EE_NORMALISATIONS,
  type DiagonalFisherPreconditionerOptions,
  type DiagonalFisherState,
  type EENormalisation,
} from "./diagonal-fisher-preconditioner.js";
export { fisherAlignment, type FisherAlignmentOptions, type LayerAlignment } from "./fisher-alignment.js";
export {
  AlignmentTracker,
  DEFAULT_ALIGNMENT_WINDOW,
  type AlignmentAveraging,
  type LayerAlignmentAverage,
} from "./alignment-tracker.js";
export { dannStackFisherDiagonal, type DannFisherLayer, type DannStackFisherDiagonalOptions } from "./dann-stack-fisher-diagonal.js";
