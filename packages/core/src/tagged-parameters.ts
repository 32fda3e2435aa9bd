import type { Tensor, Variable } from "@tensorflow/tfjs-core";
import { parameterMeta, tagParameter } from "./parameter-registry.js";
import type { TaggedParameter } from "./param-meta.js";

/** A trainable weight as a tfjs-layers `LayerVariable` exposes it. */
export interface LayerWeightLike {
  read(): Tensor;
}

/**
 * What {@link taggedParameters} and {@link tagUntaggedAsFree} read of a model: a tfjs-layers
 * `LayersModel` fits (core does not depend on tfjs-layers).
 */
export interface TrainableModelLike {
  readonly trainableWeights: readonly LayerWeightLike[];
  readonly layers: readonly { readonly name: string; readonly trainableWeights: readonly LayerWeightLike[] }[];
}

/**
 * The trainable variables of a model with their roles and sign constraints.
 *
 * @param model - a built tfjs LayersModel (or anything with its trainable weights)
 * @returns one entry per trainable weight, in model order
 * @throws TypeError naming the first untagged trainable variable
 * @example
 * for (const { variable, meta } of taggedParameters(model)) console.log(variable.name, meta.role);
 */
export function taggedParameters(model: TrainableModelLike): TaggedParameter[] {
  return model.trainableWeights.map((lv) => {
    const variable = lv.read() as Variable;
    const meta = parameterMeta(variable);
    if (!meta) {
      throw new TypeError(
        `taggedParameters: trainable variable ${variable.name} has no role; tag it with tagParameter() or tagUntaggedAsFree(model)`,
      );
    }
    return { variable, meta };
  });
}

/**
 * Tags every untagged trainable weight of a model as role "free" (no sign constraint), e.g. the
 * scale and offset of LayerNormalization / BatchNormalization layers in the baselines.
 *
 * @param model - a built LayersModel
 * @returns the number of variables tagged
 * @example
 * tagUntaggedAsFree(model);
 */
export function tagUntaggedAsFree(model: TrainableModelLike): number {
  let count = 0;
  for (const layer of model.layers) {
    for (const lv of layer.trainableWeights) {
      const variable = lv.read() as Variable;
      if (parameterMeta(variable)) continue;
      const size = variable.size;
      tagParameter(variable, { role: "free", constraint: { kind: "free" }, layer: layer.name, sizes: { d: 0, ne: size, ni: 0 } });
      count++;
    }
  }
  return count;
}
