import type * as tf from "@tensorflow/tfjs";

/** A layer's trainable variables by their short names ("wEE", "w", "bias", ...). Test helper. */
export function weightsOf(layer: tf.layers.Layer): Record<string, tf.Variable> {
  const out: Record<string, tf.Variable> = {};
  for (const w of layer.trainableWeights) out[w.originalName.split("/").pop()!] = w.read() as tf.Variable;
  return out;
}
