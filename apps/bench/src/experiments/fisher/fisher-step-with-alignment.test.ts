import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { parameterMeta } from "@dale-nn/core";
import { buildPaperNetwork } from "@dale-nn/ei-layers";
import { DiagonalFisherPreconditioner, dannUpdateCorrection, fisherAlignment, type LayerAlignment } from "@dale-nn/fisher-correction";
import { useBackend } from "@dale-nn/test-support";
import { fisherStepWithAlignment } from "./fisher-step-with-alignment.js";

describe("fisherStepWithAlignment", () => {
  useBackend("cpu");

  it("fisherStepWithAlignment({ fisher }).apply(grads) returns the Fisher-corrected gradients and records fisherAlignment(raw, Alg. 3, Fisher) only when asked, leaking nothing", () => {
    const model = buildPaperNetwork({ kind: "dann", seed: 1, inputs: 6, hidden: [5], inhibitory: 2, outputs: 3 });
    const variables = model.trainableWeights.map((lv) => lv.read() as tf.Variable);
    const fisher = new DiagonalFisherPreconditioner({ logits: (x) => model.apply(x) as tf.Tensor2D, variables, seed: 2 });
    const x = tf.randomUniform([4, 6], 0, 1, "float32", 3) as tf.Tensor2D;
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1], "int32"), 3);
    fisher.observe(x);
    const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor2D) as tf.Scalar, variables);
    const recorded: LayerAlignment[][] = [];
    let record = false;
    const step = fisherStepWithAlignment({ fisher, shouldRecord: () => record, onAlignment: (a) => recorded.push(a) });
    expect(step.name).toBe("diagonal-fisher+alignment");
    expect(step.getConfig?.()).toMatchObject({ name: "diagonal-fisher+alignment", lambda: 40_000, momentum: 0.02 });
    const before = tf.memory().numTensors;
    const expected = fisher.asTransform().apply(grads, parameterMeta);
    const corrected = dannUpdateCorrection().apply(grads, parameterMeta);
    const direct = fisherAlignment({ raw: grads, corrected, fisherPreconditioned: expected });
    const madeByHand = tf.memory().numTensors - before;

    const quiet = step.apply(grads, parameterMeta);
    expect(recorded).toEqual([]);
    record = true;
    const loud = step.apply(grads, parameterMeta);
    expect(recorded).toEqual([direct]);
    expect(direct.map((a) => a.layer)).toHaveLength(2);
    for (const out of [quiet, loud]) {
      for (const v of variables) expect(Array.from(out[v.name]!.dataSync())).toEqual(Array.from(expected[v.name]!.dataSync()));
    }
    // Only the two returned maps of Fisher-corrected gradients are new: Alg. 3's gradients were freed.
    const fresh = (m: Record<string, tf.Tensor>) => Object.entries(m).filter(([n, t]) => t !== grads[n]).length;
    expect(tf.memory().numTensors - before).toBe(madeByHand + fresh(quiet) + fresh(loud));
    for (const m of [quiet, loud, expected, corrected]) for (const [n, t] of Object.entries(m)) if (t !== grads[n]) t.dispose();
    tf.dispose([x, y, value, ...Object.values(grads)]);
    fisher.dispose();
    model.dispose();
  });
});
