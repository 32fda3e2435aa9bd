import type { Variable } from "@tensorflow/tfjs-core";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import { parameterMeta, tagParameter } from "./parameter-registry.js";
import type { TaggedParameter } from "./parameter-meta.js";

/**
 * The trainable variables of a model with their roles and sign constraints.
 *
 * @param model - a built tfjs LayersModel
 * @returns one entry per trainable weight, in model order
 * @throws TypeError naming the first untagged trainable variable
 * @example
 * for (const { variable, meta } of taggedParameters(model)) console.log(variable.name, meta.role);
 */
export function taggedParameters(model: LayersModel): TaggedParameter[] {
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
export function tagUntaggedAsFree(model: LayersModel): number {
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
