import type * as tf from "@tensorflow/tfjs";

/** A layer's weights (trainable and not) by their short names. Test helper. */
export function weightsOf(layer: tf.layers.Layer, trainableOnly = true): Record<string, tf.Variable> {
  const out: Record<string, tf.Variable> = {};
  for (const w of trainableOnly ? layer.trainableWeights : layer.weights) out[w.originalName.split("/").pop()!] = w.read() as tf.Variable;
  return out;
}
