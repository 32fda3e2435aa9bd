import type { Tensor } from "@tensorflow/tfjs-core";

/**
 * Wraps `optimizer.getWeights` so that every tensor it hands out is also pushed onto the returned
 * array, for the test to dispose. `model.save(handler, { includeOptimizer: true })` in tfjs-layers
 * encodes the tensors of `optimizer.getWeights()` and never disposes them (it does the same with
 * `tf.train.sgd`), so a leak check would otherwise blame the optimizer under test.
 *
 * @param optimizer - the optimizer (its `getWeights` is replaced on this instance only).
 * @returns the array the handed-out tensors are collected in, empty until `getWeights` runs.
 * @throws nothing itself; the wrapped `getWeights` rejects when the original does.
 * @example
 * const handedOut = collectHandedOutWeights(opt);
 * const saved = await saveToMemory(model, { includeOptimizer: true });
 * tf.dispose(handedOut);
 */
export function collectHandedOutWeights(optimizer: { getWeights(): Promise<Array<{ name: string; tensor: Tensor }>> }): Tensor[] {
  const handedOut: Tensor[] = [];
  const getWeights = optimizer.getWeights.bind(optimizer);
  optimizer.getWeights = async () => {
    const w = await getWeights();
    handedOut.push(...w.map((e) => e.tensor));
    return w;
  };
  return handedOut;
}
