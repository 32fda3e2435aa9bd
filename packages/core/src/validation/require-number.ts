import { formatValue } from "./format-value.js";

/**
 * Checks that `value` is an integer in [min, max] (max defaults to +∞).
 *
 * @param context - the caller, named first in the error (e.g. "dannDenseInit")
 * @param name - the argument's name
 * @param value - what was passed
 * @param min - smallest allowed value
 * @param max - largest allowed value; default +∞
 * @returns `value`, typed as a number
 * @throws RangeError naming the value and the range: "ctx: units must be an integer >= 1; got 0"
 * @example
 * const units = requireInteger("DannDense", "units", args.units, 1);
 */
export function requireInteger(context: string, name: string, value: unknown, min: number, max = Number.POSITIVE_INFINITY): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.POSITIVE_INFINITY ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(`${context}: ${name} must be an integer ${range}; got ${formatValue(value)}`);
  }
  return value;
}

/**
 * Checks that `value` is a finite number.
 *
 * @param context - the caller, named first in the error
 * @param name - the argument's name
 * @param value - what was passed
 * @returns `value`
 * @throws RangeError naming the value: "ctx: mean must be a finite number; got NaN"
 * @example
 * requireFinite("columnEiInit", "inputMean", 0.1307);
 */
export function requireFinite(context: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RangeError(`${context}: ${name} must be a finite number; got ${formatValue(value)}`);
  }
  return value;
}

/**
 * Checks that `value` is a finite number > 0.
 *
 * @param context - the caller, named first in the error
 * @param name - the argument's name
 * @param value - what was passed
 * @returns `value`
 * @throws RangeError naming the value: "ctx: lr must be a finite number > 0; got 0"
 * @example
 * requirePositive("ProjectedSGD", "learningRate", 0.1);
 */
export function requirePositive(context: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${context}: ${name} must be a finite number > 0; got ${formatValue(value)}`);
  }
  return value;
}

/**
 * Checks that `value` is a finite number >= 0.
 *
 * @param context - the caller, named first in the error
 * @param name - the argument's name
 * @param value - what was passed
 * @returns `value`
 * @throws RangeError naming the value: "ctx: eps must be a finite number >= 0; got -1"
 * @example
 * requireNonNegative("DiagonalFisherPreconditioner", "eps", 1e-8);
 */
export function requireNonNegative(context: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${context}: ${name} must be a finite number >= 0; got ${formatValue(value)}`);
  }
  return value;
}

/**
 * Checks that `value` is a finite number in the closed interval [lo, hi].
 *
 * @param context - the caller, named first in the error
 * @param name - the argument's name
 * @param value - what was passed
 * @param lo - smallest allowed value
 * @param hi - largest allowed value
 * @returns `value`
 * @throws RangeError naming the value and the interval
 * @example
 * requireInRange("lrBackoff", "factor", 0.5, 0, 1);
 */
export function requireInRange(context: string, name: string, value: unknown, lo: number, hi: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < lo || value > hi) {
    throw new RangeError(`${context}: ${name} must be a finite number in [${lo}, ${hi}]; got ${formatValue(value)}`);
  }
  return value;
}

/**
 * Checks that `value` is a number in the half-open interval (0, 1] (a momentum, a fraction).
 *
 * @param context - the caller, named first in the error
 * @param name - the argument's name
 * @param value - what was passed
 * @returns `value`
 * @throws RangeError naming the value: "ctx: momentum must be a number in (0, 1]; got 0"
 * @example
 * requireUnitInterval("DiagonalFisherPreconditioner", "momentum", 0.9);
 */
export function requireUnitInterval(context: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !(value > 0 && value <= 1)) {
    throw new RangeError(`${context}: ${name} must be a number in (0, 1]; got ${formatValue(value)}`);
  }
  return value;
}
