import type * as tf from "@tensorflow/tfjs";
import { parameterMeta } from "@dale-nn/core";
import { DannDense } from "@dale-nn/ei-layers";
import type { DannFisherLayer } from "@dale-nn/fisher-correction";

/** The parameter roles of a DANN layer and the {@link DannFisherLayer} field each fills. */
const FIELD_OF_ROLE = { EE: "wEE", IE: "wIE", EI: "wEI", alpha: "alpha", gain: "g", bias: "beta" } as const;

/**
 * The model as the stack `dannStackFisherDiagonal` takes, when every layer is a `DannDense` with a
 * ReLU or (last) linear activation, with its variables found by their parameter roles; null for any
 * other model (the preconditioner then keeps the per-example loop of `sampledFisherDiagonal`).
 */
export function dannFisherLayers(model: tf.LayersModel | tf.Sequential): DannFisherLayer[] | null {
  const layers: DannFisherLayer[] = [];
  for (const [i, layer] of model.layers.entries()) {
    if (!(layer instanceof DannDense)) return null;
    const last = i === model.layers.length - 1;
    if (layer.activation !== (last ? "linear" : "relu")) return null;
    const fields: Partial<Record<(typeof FIELD_OF_ROLE)[keyof typeof FIELD_OF_ROLE], tf.Variable>> = {};
    for (const w of layer.trainableWeights) {
      const v = w.read() as tf.Variable;
      const role = parameterMeta(v.name)?.role as keyof typeof FIELD_OF_ROLE | undefined;
      if (role === undefined || !(role in FIELD_OF_ROLE)) return null;
      fields[FIELD_OF_ROLE[role]] = v;
    }
    const { wEE, wIE, wEI, alpha, g, beta } = fields;
    if (!wEE || !wIE || !wEI || !alpha || !g || !beta) return null;
    layers.push({ wEE, wIE, wEI, alpha, g, beta, activation: last ? "linear" : "relu", eps: layer.eps });
  }
  return layers.length > 0 ? layers : null;
}
