import type { Tensor } from "@tensorflow/tfjs-core";

/**
 * What the training loop needs of a model: a forward pass and its weights. A tfjs `LayersModel`
 * (e.g. from `buildPaperNetwork`) satisfies it.
 */
export interface ModelLike {
  apply(inputs: Tensor | Tensor[], kwargs?: { training?: boolean }): Tensor | Tensor[] | unknown;
  getWeights(trainableOnly?: boolean): Tensor[];
  setWeights(weights: Tensor[]): void;
}

/** The single output tensor of a model call, with a clear error for multi-output models. */
export function singleOutput(out: unknown, context: string): Tensor {
  if (Array.isArray(out)) {
    if (out.length !== 1) throw new TypeError(`${context}: the model returned ${out.length} outputs; expected one`);
    return out[0] as Tensor;
  }
  return out as Tensor;
}
