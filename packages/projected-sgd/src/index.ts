export {
  ProjectedSGD,
  LR_BACKOFF_MEASURES,
  type ProjectedSGDOptions,
  type LrBackoffOptions,
  type LrBackoffMeasure,
  type BackoffChoice,
} from "./projected-sgd.js";
export { ProjectedOptimizer, projected } from "./projected-optimizer.js";
export { projectedAdam, type ProjectedAdamOptions } from "./projected-adam.js";
export { projectedRmsProp, type ProjectedRmsPropOptions } from "./projected-rms-prop.js";
export { projectedMomentum, type ProjectedMomentumOptions } from "./projected-momentum.js";
export { projectedAdagrad, type ProjectedAdagradOptions } from "./projected-adagrad.js";
export { PROJECTION_OPTION_KEYS, type ProjectionOptions, type UntaggedPolicy } from "./projection-options.js";
export {
  projectTensor,
  projectVariable,
  projectToConstraints,
  DEFAULT_FROZEN_SIGN_MAGNITUDE,
  type FrozenSignSource,
  type ProjectTensorOptions,
  type ProjectVariablesOptions,
} from "./project-to-constraints.js";
export { signViolations, totalViolations, type SignViolationsOptions } from "./sign-violations.js";
export { clipGradientsByNorm, CLIP_SCOPES, type ClipNormOptions, type ClipScope } from "./clip-gradients-by-norm.js";
export { globalNorm } from "./global-norm.js";
export {
  registerGradientTransform,
  registeredGradientTransforms,
  serializeGradientTransform,
  deserializeGradientTransform,
  type GradientTransformFactory,
  type SerializedGradientTransform,
} from "@dale-nn/core"; // moved to @dale-nn/core; re-exported for compatibility
export type { VariableCollection, VariableSource, LayerVariableLike } from "./variable-collection.js";
