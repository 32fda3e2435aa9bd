/**
 * Splits the combined options of the projected* constructors into the inner optimiser's and the
 * projection's, rejecting unknown keys by name.
 * @internal never re-exported from the package
 */
import type { Optimizer } from "@tensorflow/tfjs-core";
import { formatValue } from "@dale-nn/core";
import { ProjectedOptimizer } from "../projected-optimizer.js";
import { PROJECTION_OPTION_KEYS, type ProjectionOptions } from "../projection-options.js";
import { SignProjection } from "./sign-projection.js";

export function splitOptions<K extends string>(
  context: string,
  options: unknown,
  innerKeys: readonly K[],
): { inner: Partial<Record<K, unknown>>; projection: ProjectionOptions } {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new TypeError(`${context}: options must be an object { ${innerKeys.join(", ")}, ...projection options }; got ${formatValue(options)}`);
  }
  const inner: Partial<Record<K, unknown>> = {};
  const projection: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if ((innerKeys as readonly string[]).includes(key)) inner[key as K] = value;
    else if ((PROJECTION_OPTION_KEYS as readonly string[]).includes(key)) projection[key] = value;
    else {
      const hint = key === "lrBackoff" ? " (Alg. 6 picks SGD step sizes: use ProjectedSGD)" : "";
      throw new TypeError(
        `${context}: unknown option ${JSON.stringify(key)}${hint}; expected one of ${[...innerKeys, ...PROJECTION_OPTION_KEYS].map((k) => JSON.stringify(k)).join(", ")}`,
      );
    }
  }
  return { inner, projection: projection as ProjectionOptions };
}

/**
 * A number in [0, 1) (a decay or β).
 * @throws RangeError naming the value
 */
export function requireDecay(context: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !(value >= 0 && value < 1)) {
    throw new RangeError(`${context}: ${name} must be a number in [0, 1); got ${formatValue(value)}`);
  }
  return value;
}

/**
 * A boolean.
 * @throws TypeError naming the value
 */
export function requireBoolean(context: string, name: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new TypeError(`${context}: ${name} must be true or false; got ${formatValue(value)}`);
  return value;
}

/**
 * Checks the projection options (errors name `context`), then builds the inner optimiser and wraps
 * it; the inner optimiser is disposed if wrapping fails, so a bad option leaks no tensor.
 */
export function wrapChecked(context: string, projection: ProjectionOptions, makeInner: () => Optimizer): ProjectedOptimizer {
  new SignProjection(context, projection); // validates; holds no tensors
  const inner = makeInner();
  try {
    return new ProjectedOptimizer(inner, projection);
  } catch (error) {
    inner.dispose();
    throw error;
  }
}
