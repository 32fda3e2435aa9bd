// Parameter roles and sign constraints, and their registry.
export { PARAM_ROLES, type ParamRole } from "./parameter-role.js";
export { SIGN_CONSTRAINT_KINDS, type SignConstraint } from "./sign-constraint.js";
export type { LayerSizes, ParamMeta, TaggedParameter } from "./param-meta.js";
export { tagParameter, parameterMeta, untagParameter, validateParamMeta } from "./parameter-registry.js";
export { taggedParameters, tagUntaggedAsFree, type TrainableModelLike, type LayerWeightLike } from "./tagged-parameters.js";

// Gradient transforms and their registry.
export type { GradientTransform, NamedGradients } from "./gradient-transform.js";
export {
  registerGradientTransform,
  registeredGradientTransforms,
  serializeGradientTransform,
  deserializeGradientTransform,
  type GradientTransformFactory,
  type SerializedGradientTransform,
} from "./gradient-transform-registry.js";

// Validation helpers (also the tfjs-free entry `@dale-nn/core/validation`).
export {
  formatValue,
  formatShape,
  sameShape,
  requireInteger,
  requireFinite,
  requirePositive,
  requireNonNegative,
  requireInRange,
  requireUnitInterval,
  requireOneOf,
} from "./validation/index.js";

// Fused-kernel contracts: one file per kernel.
export { versionedKernelName, registeredKernelVersions } from "./kernels/versioned-kernel-name.js";
export { runKernelRecordingOneOutput } from "./kernels/record-one-output.js";
export {
  typedKernelConfig,
  runTypedKernel,
  typedListKernelConfig,
  runTypedListKernel,
  backendHasKernels,
  type TypedKernelArgs,
  type TypedKernelImpl,
} from "./kernels/typed-kernel.js";
export {
  DANN_DENSE_KERNEL_FAMILY,
  DANN_DENSE_KERNEL_VERSION,
  DANN_DENSE_KERNEL,
  DANN_DENSE_GRAD_KERNEL,
  dannDenseGradConfig,
  isDannDenseAvailable,
  runDannDenseKernel,
  dannDenseKernelConfigs,
  type DannDenseInputs,
  type DannDenseAttrs,
  type DannDenseOutputs,
  type DannDenseGradInputs,
  type DannDenseGradOutputs,
  type DannDenseKernelImpl,
  type DannDenseGradKernelImpl,
} from "./kernels/dann-dense-kernel.js";
export {
  DANN_DENSE_V2_KERNEL_VERSION,
  DANN_DENSE_V2_KERNEL,
  DANN_DENSE_V2_GRAD_KERNEL,
  DANN_DENSE_V2_DEFAULT_EPS,
  dannDenseV2GradConfig,
  dannDenseV2GradOutputNames,
  isDannDenseV2Available,
  runDannDenseV2Kernel,
  dannDenseV2Fallback,
  dannDenseV2,
  dannDenseV2KernelConfigs,
  type DannDenseV2Inputs,
  type DannDenseV2Attrs,
  type DannDenseV2Options,
  type DannDenseV2Outputs,
  type DannDenseV2GradInputs,
  type DannDenseV2GradOutputs,
  type DannDenseV2KernelImpl,
  type DannDenseV2GradKernelImpl,
} from "./kernels/dann-dense-v2-kernel.js";
export {
  RELU_RNN_KERNEL_FAMILY,
  RELU_RNN_KERNEL_VERSION,
  RELU_RNN_KERNEL,
  RELU_RNN_GRAD_KERNEL,
  reluRnnGradConfig,
  isReluRnnAvailable,
  runReluRnnKernel,
  reluRnnKernelConfigs,
  type ReluRnnInputs,
  type ReluRnnOutputs,
  type ReluRnnGradInputs,
  type ReluRnnGradOutputs,
  type ReluRnnKernelImpl,
  type ReluRnnGradKernelImpl,
} from "./kernels/relu-rnn-kernel.js";
export {
  RELU_RNN_V2_KERNEL_VERSION,
  RELU_RNN_V2_KERNEL,
  RELU_RNN_V2_GRAD_KERNEL,
  reluRnnV2GradConfig,
  reluRnnV2OutputNames,
  reluRnnV2GradOutputNames,
  isReluRnnV2Available,
  runReluRnnV2Kernel,
  runReluRnnV2Layer,
  reluRnnV2KernelConfigs,
  type ReluRnnV2Inputs,
  type ReluRnnV2Attrs,
  type ReluRnnV2Options,
  type ReluRnnV2Outputs,
  type ReluRnnV2GradInputs,
  type ReluRnnV2GradOutputs,
  type ReluRnnV2KernelImpl,
  type ReluRnnV2GradKernelImpl,
} from "./kernels/relu-rnn-v2-kernel.js";
export {
  CT_RNN_KERNEL_FAMILY,
  CT_RNN_KERNEL_VERSION,
  CT_RNN_KERNEL,
  CT_RNN_GRAD_KERNEL,
  CT_RNN_KERNEL_ACTIVATIONS,
  ctRnnGradConfig,
  isCtRnnAvailable,
  runCtRnnKernel,
  ctRnnKernelConfigs,
  type CtRnnKernelActivation,
  type CtRnnInputs,
  type CtRnnAttrs,
  type CtRnnOutputs,
  type CtRnnGradInputs,
  type CtRnnGradOutputs,
  type CtRnnKernelImpl,
  type CtRnnGradKernelImpl,
} from "./kernels/ct-rnn-kernel.js";
export {
  PROJECTED_SGD_STEP_KERNEL_FAMILY,
  PROJECTED_SGD_STEP_KERNEL_VERSION,
  PROJECTED_SGD_STEP_KERNEL,
  SGD_STEP_PROJECTIONS,
  isProjectedSgdStepAvailable,
  runProjectedSgdStepKernel,
  projectedSgdStepKernelConfig,
  type SgdStepProjection,
  type ProjectedSgdStepInputs,
  type ProjectedSgdStepAttrs,
  type ProjectedSgdStepOutputs,
  type ProjectedSgdStepKernelImpl,
} from "./kernels/projected-sgd-step-kernel.js";
export {
  BACKOFF_COSINE_SUMS_KERNEL_FAMILY,
  BACKOFF_COSINE_SUMS_KERNEL_VERSION,
  BACKOFF_COSINE_SUMS_KERNEL,
  isBackoffCosineSumsAvailable,
  runBackoffCosineSumsKernel,
  backoffCosineSumsKernelConfig,
  type BackoffCosineMeasure,
  type BackoffCosineSumsInputs,
  type BackoffCosineSumsAttrs,
  type BackoffCosineSumsOutputs,
  type BackoffCosineSumsKernelImpl,
} from "./kernels/backoff-cosine-sums-kernel.js";

export {
  MULTI_TENSOR_STEP_KERNEL_FAMILY,
  MULTI_TENSOR_STEP_KERNEL_VERSION,
  MULTI_TENSOR_STEP_KERNEL,
  MULTI_TENSOR_METHODS,
  MULTI_TENSOR_STATE_COUNT,
  isMultiTensorStepAvailable,
  runMultiTensorStepKernel,
  multiTensorStepKernelConfig,
  type MultiTensorMethod,
  type MultiTensorEntry,
  type MultiTensorStepAttrs,
  type MultiTensorStepOutputs,
  type MultiTensorStepInputs,
  type MultiTensorStepKernelImpl,
} from "./kernels/multi-tensor-step-kernel.js";
export {
  DENSE_KERNEL_FAMILY,
  DENSE_KERNEL_VERSION,
  DENSE_KERNEL,
  DENSE_GRAD_KERNEL,
  DENSE_ACTIVATIONS,
  denseGradConfig,
  isDenseAvailable,
  runDenseKernel,
  denseKernelConfigs,
  type DenseActivation,
  type DenseInputs,
  type DenseAttrs,
  type DenseOutputs,
  type DenseGradInputs,
  type DenseGradOutputs,
  type DenseKernelImpl,
  type DenseGradKernelImpl,
} from "./kernels/dense-kernel.js";
export {
  BATCH_NORM_KERNEL_FAMILY,
  BATCH_NORM_KERNEL_VERSION,
  BATCH_NORM_KERNEL,
  BATCH_NORM_GRAD_KERNEL,
  batchNormGradConfig,
  isBatchNormAvailable,
  runBatchNormKernel,
  batchNormKernelConfigs,
  type BatchNormInputs,
  type BatchNormAttrs,
  type BatchNormOutputs,
  type BatchNormGradInputs,
  type BatchNormGradOutputs,
  type BatchNormKernelImpl,
  type BatchNormGradKernelImpl,
} from "./kernels/batch-norm-kernel.js";
export {
  SOFTMAX_CROSS_ENTROPY_KERNEL_FAMILY,
  SOFTMAX_CROSS_ENTROPY_KERNEL_VERSION,
  SOFTMAX_CROSS_ENTROPY_KERNEL,
  softmaxCrossEntropyGradConfig,
  isSoftmaxCrossEntropyAvailable,
  runSoftmaxCrossEntropyKernel,
  softmaxCrossEntropyKernelConfig,
  type SoftmaxCrossEntropyInputs,
  type SoftmaxCrossEntropyOutputs,
  type SoftmaxCrossEntropyKernelImpl,
} from "./kernels/softmax-cross-entropy-kernel.js";

// Losses that use a fused kernel when the backend has one.
export { softmaxCrossEntropy } from "./losses/softmax-cross-entropy.js";

// Backend-specific kernel overrides an app registers.
export { registerWasmTransposedMatMulOverride } from "./overrides/transposed-mat-mul-override.js";

// Differentiable unstack, also for a single slice.
export { unstackSteps } from "./unstack-steps.js";
