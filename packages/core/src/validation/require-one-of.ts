import { formatValue } from "./format-value.js";

/**
 * Checks that `value` is one of the allowed strings.
 *
 * @param context - the caller, named first in the error
 * @param name - the argument's name
 * @param value - what was passed
 * @param allowed - the accepted strings
 * @returns `value`, narrowed to the allowed union
 * @throws TypeError listing the allowed strings and naming the value
 * @example
 * const scope = requireOneOf("clipGradientsByNorm", "scope", "global", ["global", "per-tensor"]);
 */
export function requireOneOf<T extends string>(context: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== "string" || !allowed.includes(value as T)) {
    throw new TypeError(`${context}: ${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}; got ${formatValue(value)}`);
  }
  return value as T;
}
