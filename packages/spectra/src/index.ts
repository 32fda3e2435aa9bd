export { toDenseMatrix, type DenseMatrix, type MatrixInput, type MatrixLike } from "./matrix-input.js";
export { isTensorLike, type TensorLike } from "./tensor-like.js";
export { singularValues } from "./singular-values.js";
export { svd, type Svd } from "./svd.js";
export { largestSingularValue } from "./largest-singular-value.js";
export { eigenvalues, type Eigenvalues } from "./eigenvalues.js";
export { spectralRadius } from "./spectral-radius.js";
export { rescaleToSpectralRadius } from "./rescale-to-spectral-radius.js";
export {
  normalisedSvdEntropy,
  normalisedSvdEntropyFromSingularValues,
  nse,
} from "./normalised-svd-entropy.js";
export { transplantSpectrum } from "./transplant-spectrum.js";
export { histogram, type Histogram, type HistogramOptions } from "./histogram.js";
export { registerDenseSolvers, activeDenseSolvers, type DenseSolvers } from "./dense-solvers.js";
export { statePca, type StatePca, type StatePcaOptions, type TrajectoryInput } from "./state-pca.js";
