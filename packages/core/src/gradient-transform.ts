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
  /** Serialisable description, for `getConfig` of optimisers. */
  getConfig?(): Record<string, unknown>;
  /** Frees any tensors the transform keeps (e.g. a Fisher moving average); optimisers forward their own `dispose()`. */
  dispose?(): void;
}
