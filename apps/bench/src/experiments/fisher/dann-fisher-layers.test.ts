import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { buildPaperNetwork } from "@dale-nn/ei-layers";
import { dannStackFisherDiagonal, sampledFisherDiagonal } from "@dale-nn/fisher-correction";
import { dannFisherLayers } from "./dann-fisher-layers.js";

describe("dannFisherLayers", () => {
  it("finds every DANN layer's six variables by role in a paper DANN, and the fast estimate equals the per-example loop on it", () => {
    const model = buildPaperNetwork({ kind: "dann", seed: 3, inputs: 12, hidden: [8, 8], inhibitory: 2 });
    const layers = dannFisherLayers(model)!;
    expect(layers.map((l) => l.activation)).toEqual(["relu", "relu", "linear"]);
    expect(layers.map((l) => l.wEE.shape)).toEqual([[8, 12], [8, 8], [10, 8]]);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    expect(layers.flatMap((l) => [l.wEE, l.wIE, l.wEI, l.alpha, l.g, l.beta]).map((v) => v.name).sort()).toEqual(variables.map((v) => v.name).sort());
    const x = tf.randomUniform([5, 12], 0, 1, "float32", 4) as tf.Tensor2D;
    const fast = dannStackFisherDiagonal({ layers, x, rng: 1, lambda: 2 });
    const slow = sampledFisherDiagonal({ logits: (xb) => model.apply(xb) as tf.Tensor2D, variables, x, rng: 1, lambda: 2 });
    expect(Array.from(fast.targets)).toEqual(Array.from(slow.targets));
    const errs: Array<[string, number]> = [];
    for (const v of variables) {
      const [a, b] = [fast.diagonal[v.name]!.dataSync(), slow.diagonal[v.name]!.dataSync()];
      const scale = Math.max(...Array.from(b, Math.abs));
      // Relative to the estimate's scale, floored at the preconditioner's eps (1e-8, added to F
      // before dividing): at this init the α estimates are rounding noise near 1e-16 in both.
      const err = Math.max(...Array.from(a, (ai, i) => Math.abs(ai - b[i]!))) / Math.max(scale, 1e-8);
      errs.push([v.name, err]);
    }
    for (const [name, err] of errs) expect(err, name).toBeLessThan(1e-4);
    tf.dispose([...Object.values(fast.diagonal), ...Object.values(slow.diagonal), x]);
    model.dispose();
  });

  it("is null for a model that is not a stack of DANN layers", () => {
    const mlp = buildPaperNetwork({ kind: "mlp", seed: 0, inputs: 12, hidden: [8] });
    expect(dannFisherLayers(mlp)).toBeNull();
    mlp.dispose();
  });
});
