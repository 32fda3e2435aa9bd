import type { GradientTransform } from "./gradient-transform.js";

/** Builds a {@link GradientTransform} from the config its `getConfig()` returned. */
export type GradientTransformFactory = (config: Record<string, unknown>) => GradientTransform;

/** A transform as stored in an optimiser config: its name and its own config. */
export interface SerializedGradientTransform {
  name: string;
  config: Record<string, unknown>;
}

// One registry per process, shared by the ESM and CJS builds (and by duplicate installs), like the
// parameter registry.
const REGISTRY_KEY = Symbol.for("@dale-nn/core/gradient-transform-registry");
const factories: Map<string, GradientTransformFactory> = ((globalThis as Record<symbol, unknown>)[REGISTRY_KEY] as Map<string, GradientTransformFactory> | undefined) ??
  ((globalThis as Record<symbol, unknown>)[REGISTRY_KEY] = new Map<string, GradientTransformFactory>()) as Map<string, GradientTransformFactory>;

/**
 * Registers how to rebuild a gradient transform by name, so that an optimiser holding it can be
 * restored with `fromConfig` (the transform registry that `serialization.registerClass` is for
 * classes). Registering a name again replaces its factory.
 *
 * @param name - the transform's `name`
 * @param factory - rebuilds the transform from its `getConfig()` result (`{}` when it has none)
 * @returns nothing
 * @throws TypeError on an empty name or a factory that is not a function
 * @example
 * registerGradientTransform("dannCorrection", (config) => dannCorrection(config));
 */
export function registerGradientTransform(name: string, factory: GradientTransformFactory): void {
  if (typeof name !== "string" || name.length === 0) {
    throw new TypeError(`registerGradientTransform: name must be a non-empty string; got ${JSON.stringify(name)}`);
  }
  if (typeof factory !== "function") {
    throw new TypeError(`registerGradientTransform(${JSON.stringify(name)}): factory must be a function; got ${typeof factory}`);
  }
  factories.set(name, factory);
}

/**
 * Names of the registered gradient transforms.
 *
 * @returns the names, sorted
 * @example
 * registeredGradientTransforms(); // ["dannCorrection", ...]
 */
export function registeredGradientTransforms(): string[] {
  return [...factories.keys()].sort();
}

/**
 * Serialises a transform as `{ name, config }` (config `{}` when it has no `getConfig`).
 *
 * @param transform - the transform
 * @returns its name and config
 * @example
 * serializeGradientTransform(t); // { name: "dannCorrection", config: {} }
 */
export function serializeGradientTransform(transform: GradientTransform): SerializedGradientTransform {
  return { name: transform.name, config: transform.getConfig?.() ?? {} };
}

/**
 * Rebuilds a transform registered with {@link registerGradientTransform}.
 *
 * @param serialized - `{ name, config }` as {@link serializeGradientTransform} wrote it
 * @param context - names the caller in errors
 * @returns the transform
 * @throws Error naming the transform when it is not registered
 * @example
 * const t = deserializeGradientTransform({ name: "dannCorrection", config: {} });
 */
export function deserializeGradientTransform(serialized: SerializedGradientTransform, context = "deserializeGradientTransform"): GradientTransform {
  const name = serialized?.name;
  const factory = typeof name === "string" ? factories.get(name) : undefined;
  if (factory === undefined) {
    const known = registeredGradientTransforms();
    throw new Error(
      `${context}: unknown gradient transform ${JSON.stringify(name)}; registered: ${known.length ? known.map((k) => JSON.stringify(k)).join(", ") : "none"}. ` +
        `Call registerGradientTransform(name, factory) before deserialising.`,
    );
  }
  return factory(serialized.config ?? {});
}
