import type { Tensor, Variable } from "@tensorflow/tfjs-core";

/**
 * Anything with a `read()` that returns the underlying `tf.Variable`, such as a tfjs-layers
 * `LayerVariable` (`model.weights[i]`, `layer.trainableWeights[i]`; typed there as returning a
 * Tensor, checked to be a Variable at run time). Typed structurally so that this package needs no
 * runtime import from tfjs-layers.
 */
export interface LayerVariableLike {
  read(): Tensor;
}

/** One variable: a `tf.Variable` or a {@link LayerVariableLike}. */
export type VariableSource = Variable | LayerVariableLike;

/**
 * The variables that {@link projectToConstraints} and {@link signViolations} walk:
 * one variable, a list, a tfjs-layers model or layer (anything with `weights`), or a map from names
 * to variables (as `tf.engine().registeredVariables`). Each variable's meta is looked up by its
 * name with `parameterMeta` from `@dale-nn/core`.
 *
 * @example
 * signViolations(model);                      // a LayersModel
 * signViolations([wEE, wIE, wEI]);            // tf.Variables
 * signViolations(tf.engine().registeredVariables);
 */
export type VariableCollection =
  | VariableSource
  | readonly VariableSource[]
  | { readonly weights: readonly VariableSource[] }
  | Readonly<Record<string, VariableSource>>;
