import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { createRandomSource } from "@dale-nn/ei-init";
import { taggedParameters } from "@dale-nn/core";
import { buildRecurrentNetwork } from "./recurrent-networks.js";
import { DannLinear } from "./dann-linear-layer.js";

describe("a DANN recurrent network with a sequence readout", () => {
  useBackendWithLeakCheck("cpu", { disposeVariables: true });

  it("DannLinear on [batch, T, d] reads out every step: the same as applying it to each step's [batch, d]", () => {
    const layer = new DannLinear({ units: 3, inhibitoryUnits: 1, seed: 0 });
    const [seq, perStep] = tf.tidy(() => {
      const x = tf.randomUniform([2, 4, 5], 0, 1, "float32", 1);
      const out = layer.apply(x) as tf.Tensor;
      const steps = tf.unstack(x, 1).map((xt) => layer.apply(xt) as tf.Tensor);
      return [out, tf.stack(steps, 1)];
    });
    expect(seq!.shape).toEqual([2, 4, 3]);
    expect(Array.from(seq!.dataSync())).toEqual(Array.from(perStep!.dataSync()));
    tf.dispose([seq!, perStep!]);
  });

  it("buildRecurrentNetwork({ kind: 'dann', readout: 'sequence' }) trains: the loss goes down, non-negative weights stay non-negative, no tensor leaks", () => {
    const T = 6, d = 3, outputs = 2;
    const model = buildRecurrentNetwork({ kind: "dann", seed: 3, steps: T, inputs: d, hidden: [8], outputs, readout: "sequence" });
    const rng = createRandomSource(5);
    const x = tf.tensor3d(Float32Array.from({ length: 16 * T * d }, () => rng.uniform()), [16, T, d]);
    // Target: a running sum of the first input channel, and its complement, at every step.
    const y = tf.tidy(() => {
      const c = tf.cumsum(x.slice([0, 0, 0], [16, T, 1]), 1);
      return tf.concat([c, tf.sub(T / 2, c)], 2);
    });
    const params = taggedParameters(model);
    const nonneg = params.filter((p) => p.meta.constraint.kind === "nonneg").map((p) => p.variable);
    expect(nonneg.length).toBe(9); // U_EE, U_IE, U_EI, W_EE, W_IE, W_EI of the RNN and the readout's three factors
    const optimizer = tf.train.sgd(0.02);
    const loss = () => tf.losses.meanSquaredError(y, model.apply(x) as tf.Tensor) as tf.Scalar;
    const lossNow = () => tf.tidy(() => loss().dataSync()[0] as number);
    const first = lossNow();
    const tensorsAfterFirstStep: number[] = [];
    for (let step = 0; step < 60; step++) {
      optimizer.minimize(loss, false, params.map((p) => p.variable))?.dispose();
      // The projection of Cornford et al. (2021), Alg. 2: clamp sign-constrained weights at 0.
      tf.tidy(() => nonneg.forEach((v) => v.assign(tf.relu(v))));
      tensorsAfterFirstStep.push(tf.memory().numTensors);
    }
    const last = lossNow();
    expect(last).toBeLessThan(0.7 * first);
    for (const v of nonneg) expect(tf.tidy(() => tf.min(v).dataSync()[0] as number)).toBeGreaterThanOrEqual(0);
    expect(new Set(tensorsAfterFirstStep.slice(1)).size).toBe(1);
    optimizer.dispose();
    tf.dispose([x, y]);
    model.dispose();
  });
});
