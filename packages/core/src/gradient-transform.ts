import type { Tensor } from "@tensorflow/tfjs-core";
import type { ParamMeta } from "./param-meta.js";

/**
 * Gradients keyed by variable name, as `tf.Optimizer.applyGradients` receives them.
 */
export type NamedGradients = Record<string, Tensor>;

/**
 * A gradient transform: maps raw loss gradients to the update direction Δθ before the optimiser's
 * step (e.g. the DANN correction of Cornford et al. 2021, Alg. 3, or a diagonal-Fisher
 * preconditioner, Alg. 4). It must not dispose its input tensors; the caller owns them. It runs
 * inside the optimiser's tidy scope, so intermediates are cleaned up automatically.
 *
 * @example
 * const halve: GradientTransform = {
 *   name: "halve",
 *   apply: (grads) => Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.mul(g, 0.5)])),
 * };
 */
export interface GradientTransform {
  /** A short name, used in configs and error messages. */
  readonly name: string;
  /** Transforms the gradients; `metaOf` gives the meta of each variable name. */
  apply(gradients: NamedGradients, metaOf: (variableName: string) => ParamMeta | undefined): NamedGradients;
  /**
   * Present when `apply` only multiplies each gradient by a constant: the factor for one variable
   * (1 leaves it alone). An optimiser may then fold the factor into its update (e.g. the
   * multi-tensor step kernel's per-variable gradient scale) instead of calling `apply`; under SGD
   * the result is `apply`'s to the bit for one such transform, and to float32 rounding for several.
   */
  constantScale?(variableName: string, metaOf: (variableName: string) => ParamMeta | undefined): number;
  /** Serialisable description, for `getConfig` of optimisers. */
  getConfig?(): Record<string, unknown>;
  /** Frees any tensors the transform keeps (e.g. a Fisher moving average); optimisers forward their own `dispose()`. */
  dispose?(): void;
}
