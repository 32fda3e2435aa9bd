// The `@dale-nn/core/validation` entry: plain JavaScript, no tfjs, so packages that work on plain
// arrays (ei-init, spectra) share these helpers without loading @tensorflow/tfjs-core.
export { formatValue } from "./format-value.js";
export { formatShape } from "./format-shape.js";
export { sameShape } from "./same-shape.js";
export {
  requireInteger,
  requireFinite,
  requirePositive,
  requireNonNegative,
  requireInRange,
  requireUnitInterval,
} from "./require-number.js";
export { requireOneOf } from "./require-one-of.js";
