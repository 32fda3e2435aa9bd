// Parameter roles, sign constraints and their registry live in @dale-nn/core; re-exported here so
// code that imported them from ei-layers keeps working.
export {
  PARAM_ROLES,
  SIGN_CONSTRAINT_KINDS,
  tagParameter,
  parameterMeta,
  untagParameter,
  validateParamMeta,
  taggedParameters,
  tagUntaggedAsFree,
  type ParamRole,
  type SignConstraint,
  type LayerSizes,
  type ParamMeta,
  type TaggedParameter,
  type NamedGradients,
  type GradientTransform,
} from "@dale-nn/core";
export {
  dannDense,
  dannDenseParts,
  DANN_EPS,
  type DannDenseParams,
  type DannDenseOptions,
  type DannDenseParts,
} from "./dann-dense.js";
export { DannDense, type DannDenseArgs } from "./dann-dense-layer.js";
export { denseForward, type DenseParams, type DenseForwardOptions } from "./dense-forward.js";
export { ColEiDense, type ColEiDenseArgs } from "./column-ei-dense-layer.js";
export { StandardDense, type StandardDenseArgs } from "./standard-dense-layer.js";
export type { EiActivation } from "./internal/layer-support.js";
export { buildPaperNetwork, PAPER_MODEL_KINDS, type PaperModelKind, type PaperNetworkOptions } from "./paper-networks.js";
export { rnnForward, composeDann, type RecurrentWeights, type DannMatrixFactors, type RnnForwardOptions } from "./recurrent.js";
export { EiRnn, EI_RNN_KINDS, type EiRnnArgs, type EiRnnKind, type SignFrozenScope } from "./ei-rnn-layer.js";
export { DannLinear, type DannLinearArgs } from "./dann-linear-layer.js";
export { dannLinearForward, type DannLinearParams, type DannLinearForwardOptions } from "./dann-linear-forward.js";
export { buildRecurrentNetwork, type RecurrentNetworkOptions } from "./recurrent-networks.js";
export { LayerNorm, type LayerNormArgs } from "./layer-norm-layer.js";
export { divisiveDannRnnForward, type DivisiveDannRnnParams } from "./recurrent.js";

// Continuous-time E/I RNNs and the Dale / free mixture.
export { ctRnnForward, ctActivation, CT_ACTIVATIONS, type CtActivation, type CtRnnParams, type CtRnnForwardOptions, type CtRnnForwardResult } from "./ct-rnn-forward.js";
export {
  ctRecurrentWeight,
  daleMatrix,
  mixtureNormPenalty,
  CT_RECURRENT_KINDS,
  DALE_PARAMETRISATIONS,
  MIXTURE_NORMALISATIONS,
  type CtRecurrentKind,
  type CtRecurrentParts,
  type CtRecurrentWeightOptions,
  type DaleParametrisation,
  type MixtureNormalisation,
} from "./ct-recurrent-weight.js";
export { mixingWeight, mixingLogit, MIXING_PARAMETRISATIONS, type MixingParametrisation } from "./ct-mixing.js";
export { boundedTau, tauLogit } from "./ct-time-constants.js";
export { CtEiRnn, type CtEiRnnArgs, type CtEiRnnCallArgs, type CtMixingArgs, type CtTauSpec } from "./ct-ei-rnn-layer.js";
export { daleCompliance, type DaleCompliance, type DaleComplianceOptions, type DaleWrongSign, type PresynapticTypes } from "./dale-compliance.js";
export { ctFixedPoints, type CtFixedPoint, type CtFixedPointsOptions, type CtFixedPointsResult } from "./ct-fixed-points.js";
