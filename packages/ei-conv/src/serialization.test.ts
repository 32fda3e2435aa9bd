import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { saveToMemory, useBackendWithLeakCheck } from "@dale-nn/test-support";
import { parameterMeta } from "@dale-nn/core";
import { StandardConvRnn } from "./standard-conv-rnn-layer.js";
import { StandardEiConvRnn } from "./standard-ei-conv-rnn-layer.js";
import { SignedSeparableConv2d } from "./signed-separable-conv-layer.js";
import { StepMaxPool } from "./step-max-pool-layer.js";
import { StepReadout } from "./step-readout-layer.js";
import { randomizeCellWeights } from "./test-support/cell-harness.js";

async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  return tf.loadLayersModel(tf.io.fromMemory(await saveToMemory(model)));
}

describe("serialisation", () => {
  useBackendWithLeakCheck("cpu", { disposeVariables: true });

  const cases: Array<{ label: string; layers: () => tf.layers.Layer[]; input: number[] }> = [
    {
      label: "StandardConvRnn (InhPN, projected, no-og, paper offsets) → StepMaxPool → StepReadout('sum')",
      layers: () => [
        new StandardConvRnn({ principalChannels: 3, inputGateChannels: 2, outputGateChannels: 1, timeSteps: 3, seed: 5, principal: "inhibitory", constraint: "projected", ablation: "no-og", forgetOffset: 0, inhibitoryPrincipalOffset: 0, returnSequences: true, inputShape: [6, 6, 2] }),
        new StepMaxPool({ poolSize: 3, strides: 2 }),
        new StepReadout({ mode: "sum" }),
      ],
      input: [2, 6, 6, 2],
    },
    {
      label: "StandardEiConvRnn (NoConstraint, no BatchNorm) on a sequence input",
      layers: () => [new StandardEiConvRnn({ principalChannels: 3, interneuronChannels: 2, timeSteps: 2, seed: 6, constraint: "none", batchNorm: false, inputShape: [2, 5, 5, 2] })],
      input: [2, 2, 5, 5, 2],
    },
    {
      label: "StandardEiConvRnn (BatchNorm) → StepMaxPool (rank 4)",
      layers: () => [new StandardEiConvRnn({ principalChannels: 2, interneuronChannels: 1, timeSteps: 2, seed: 7, inputShape: [4, 4, 3] }), new StepMaxPool({ strides: 1 })],
      input: [3, 4, 4, 3],
    },
    {
      label: "SignedSeparableConv2d",
      layers: () => [new SignedSeparableConv2d({ filters: 3, seed: 1, sign: "inhibitory", useBias: true, inputShape: [5, 5, 2] })],
      input: [1, 5, 5, 2],
    },
  ];

  for (const c of cases) {
    it(`${c.label} saves and loads with the standard tfjs format and gives the same outputs, configs and tags`, async () => {
      const model = tf.sequential();
      for (const l of c.layers()) model.add(l);
      for (const l of model.layers) if (l instanceof StandardConvRnn || l instanceof StandardEiConvRnn) randomizeCellWeights(l, 3, l.cellOptions.constraint === "projected");
      const x = tf.randomUniform(c.input, 0, 1, "float32", 2);
      const loaded = await roundTrip(model);
      const y = model.predict(x) as tf.Tensor;
      const y2 = loaded.predict(x) as tf.Tensor;
      expect(y2.shape).toEqual(y.shape);
      expect(Array.from(y2.dataSync())).toEqual(Array.from(y.dataSync()));
      loaded.layers.forEach((l, k) => {
        expect(l.getClassName()).toBe(model.layers[k]!.getClassName());
        const { name: _a, ...cfg } = l.getConfig();
        const { name: _b, ...orig } = model.layers[k]!.getConfig();
        expect(cfg).toEqual(orig);
      });
      expect(loaded.weights.map((w) => w.shape)).toEqual(model.weights.map((w) => w.shape));
      for (const w of loaded.trainableWeights) expect(parameterMeta(w.read() as tf.Variable), w.name).toBeDefined();
      tf.dispose([x, y, y2]);
      model.dispose();
      loaded.dispose();
    });
  }
});
