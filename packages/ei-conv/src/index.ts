// Sign-constrained separable convs.
export { KERNEL_CONSTRAINTS, checkKernelConstraint, effectiveKernel, kernelSignConstraint, type KernelConstraint } from "./kernel-constraint.js";
export { separableConv3x3, checkSeparableShapes, type SeparableKernel } from "./separable-conv.js";
export { SignedSeparableConv2d, type SignedSeparableConv2dArgs } from "./signed-separable-conv-layer.js";

// Initialisers.
export { kernelFans, glorotUniformKernel, varianceScalingFanInKernel } from "./conv-init.js";

// BatchNorm per step.
export {
  convBatchNorm,
  movingAverage,
  CONV_BATCH_NORM_MOMENTUM,
  CONV_BATCH_NORM_EPSILON,
  type ConvBatchNormParams,
  type ConvBatchNormResult,
  type ConvBatchNormSteps,
} from "./conv-batch-norm.js";

// Cell options.
export {
  PRINCIPAL_SIGNS,
  CONV_CELL_ABLATIONS,
  CODE_DEFAULT_OFFSETS,
  PAPER_OFFSETS,
  resolveConvCellOptions,
  type PrincipalSign,
  type ConvCellAblation,
  type ConvCellOffsets,
  type ConvCellOptions,
  type ResolvedConvCellOptions,
} from "./conv-cell-options.js";

// The cells: pure functions.
export {
  standardCellStep,
  standardCellUnroll,
  type StandardCellParams,
  type StandardCellState,
  type StandardCellStepOptions,
  type StandardCellStepResult,
  type StandardCellUnrollOptions,
  type StandardCellUnrollResult,
} from "./standard-cell.js";
export {
  standardEiCellStep,
  standardEiCellUnroll,
  STANDARD_EI_ABLATIONS,
  type StandardEiCellParams,
  type StandardEiCellState,
  type StandardEiCellStepOptions,
  type StandardEiCellStepResult,
  type StandardEiCellUnrollOptions,
  type StandardEiCellUnrollResult,
} from "./standard-ei-cell.js";

// The cells: layers.
export type { ConvRnnArgs, ConvConnection } from "./conv-rnn-args.js";
export { StandardConvRnn, type StandardConvRnnArgs } from "./standard-conv-rnn-layer.js";
export { StandardEiConvRnn, type StandardEiConvRnnArgs } from "./standard-ei-conv-rnn-layer.js";
export { StepMaxPool, type StepMaxPoolArgs } from "./step-max-pool-layer.js";
export { StepReadout, STEP_READOUT_MODES, type StepReadoutArgs, type StepReadoutMode } from "./step-readout-layer.js";

// The paper's networks.
export {
  cifar10NetworkConfig,
  imagenetNetworkConfig,
  channelSweepConfigs,
  validateNetworkConfig,
  CONV_CELL_KINDS,
  CONV_NETWORK_VARIANTS,
  type ConvCellKind,
  type ConvNetworkVariant,
  type ConvNetworkConfigOptions,
  type ConvEiNetworkConfig,
  type FeedforwardAreaConfig,
  type RecurrentAreaConfig,
} from "./network-config.js";
export { describeNetwork, type NetworkDescription, type AreaDescription, type AreaParameterCount } from "./describe-network.js";
export { buildConvEiNetwork } from "./build-conv-ei-network.js";
export { recomputeBatchNormStatistics } from "./recompute-batch-norm-statistics.js";

// Inspection: every population's activity (for the selectivity analyses).
export { areaActivity, recurrentCells, type AreaActivity, type RecurrentCellLayer } from "./area-activity.js";
