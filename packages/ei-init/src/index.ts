export { createRandomSource, deriveSeed, toRandomSource, type RandomSource } from "./random-source.js";
export { filledArray, type InitArray } from "./init-array.js";
export { sampleExponential, sampleNormal, sampleUniform } from "./samplers.js";
export {
  dannDenseInit,
  dannExcitatoryScale,
  dannAlphaInit,
  type DannDenseInit,
  type DannDenseInitOptions,
  type DannInitVariant,
} from "./dann-dense-init.js";
export {
  columnEiInit,
  columnEiExcitatoryScale,
  splitExcitatoryInhibitory,
  type ColumnEiInit,
  type ColumnEiInitOptions,
} from "./column-ei-init.js";
export { heNormalInit, type HeNormalInitOptions } from "./he-normal-init.js";
export {
  standardRnnInit,
  dannRnnInit,
  dannRecurrentFactors,
  colEiRnnInit,
  type StandardRnnInit,
  type DannRnnInit,
  type DannFactors,
  type ColEiRnnInit,
  type ColEiRnnInitOptions,
} from "./recurrent-init.js";

// Continuous-time E/I RNNs (pycog, PsychRNN).
export { sampleGamma } from "./gamma-sampler.js";
export { splitByExcitatoryFraction } from "./excitatory-split.js";
export { typeConnectivityMask, type TypeConnectivityMaskOptions, type TypeDensities } from "./type-connectivity-mask.js";
export type { CtRecurrentInit, SpectralRadiusFn } from "./ct-recurrent-init.js";
export { pycogRecurrentInit, type PycogRecurrentInitOptions } from "./pycog-recurrent-init.js";
export { psychRnnRecurrentInit, type PsychRnnRecurrentInitOptions } from "./psychrnn-recurrent-init.js";
