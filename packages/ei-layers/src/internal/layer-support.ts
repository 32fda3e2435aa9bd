import { relu, sigmoid, softmax, tanh, tensor, type Tensor, type Variable } from "@tensorflow/tfjs-core";
import type { layers } from "@tensorflow/tfjs-layers";
import type { InitArray } from "@dale-nn/ei-init";
import { formatValue } from "@dale-nn/core";

/** The constructor argument type of `tf.layers.Layer` (tfjs-layers does not export `LayerArgs`). */
export type LayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;

/** Activations the dale-nn layers accept. */
export type EiActivation = "relu" | "softmax" | "linear" | "sigmoid" | "tanh";
export const EI_ACTIVATIONS: readonly EiActivation[] = ["relu", "softmax", "linear", "sigmoid", "tanh"];

export function applyActivation(z: Tensor, activation: EiActivation): Tensor {
  switch (activation) {
    case "relu":
      return relu(z);
    case "softmax":
      return softmax(z);
    case "sigmoid":
      return sigmoid(z);
    case "tanh":
      return tanh(z);
    case "linear":
      return z;
  }
}

export function checkActivation(context: string, activation: unknown): EiActivation {
  if (!EI_ACTIVATIONS.includes(activation as EiActivation)) {
    throw new TypeError(`${context}: unknown activation ${formatValue(activation)}; expected one of ${EI_ACTIVATIONS.join(", ")}`);
  }
  return activation as EiActivation;
}

export function checkSeed(context: string, seed: unknown): number {
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0) {
    throw new RangeError(`${context}: seed must be an integer >= 0 (randomness is explicit in dale-nn); got ${formatValue(seed)}`);
  }
  return seed;
}

/** The input width of a layer from its input shape, with a clear error when it is unknown. */
export function inputWidth(context: string, inputShape: unknown): number {
  const shape = singleInputShape(inputShape);
  const d = shape[shape.length - 1];
  if (typeof d !== "number" || !Number.isInteger(d) || d < 1) {
    throw new RangeError(`${context}: the last input dimension must be a known positive integer; got input shape ${JSON.stringify(shape)}`);
  }
  return d;
}

/** Minimal view of a LayerVariable: tfjs-layers does not export the class for runtime use. */
export interface LayerVariableLike {
  read(): Tensor;
  write(value: Tensor): unknown;
}

/** Writes initial values into a freshly created layer weight and returns its core variable. */
export function writeInitial(lv: LayerVariableLike, init: InitArray): Variable {
  const t = tensor(init.values, [...init.shape], "float32");
  lv.write(t);
  t.dispose();
  return lv.read() as Variable;
}

/** Throws when the input's last dimension does not match the layer's built input width. */
export function checkInputWidth(context: string, x: Tensor, d: number): void {
  const got = x.shape[x.shape.length - 1];
  if (got !== d) throw new RangeError(`${context}: input width must be ${d} (the layer was built for d = ${d}); got ${got}`);
}

/** The input shape of a single-input layer (tfjs passes a shape or a list of shapes). */
export function singleInputShape(inputShape: unknown): Array<number | null> {
  return (Array.isArray(inputShape) && Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Array<number | null>;
}

/** The output shape of a layer that maps the last axis to `units`. */
export function lastAxisOutputShape(inputShape: unknown, units: number): Array<number | null> {
  return [...singleInputShape(inputShape).slice(0, -1), units];
}
