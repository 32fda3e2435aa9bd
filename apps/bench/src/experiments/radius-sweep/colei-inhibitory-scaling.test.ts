import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { buildRecurrentNetwork } from "@dale-nn/ei-layers";
import { ProjectedSGD, signViolations, totalViolations } from "@dale-nn/projected-sgd";
import { colEiInhibitoryScaling, coleiInputFactor, coleiRecurrentFactor } from "./colei-inhibitory-scaling.js";

describe("colEiInhibitoryScaling", () => {
  it("coleiRecurrentFactor is 1/n_e out of I units, 1/√n_e from E onto I units, 1 from E onto E; coleiInputFactor 1/√n_e onto I units", () => {
    const ne = 9;
    expect(coleiRecurrentFactor(ne, 0, 0)).toBe(1);
    expect(coleiRecurrentFactor(ne, 3, 9)).toBeCloseTo(1 / 9, 15);
    expect(coleiRecurrentFactor(ne, 9, 9)).toBeCloseTo(1 / 9, 15); // I → I: out of an I unit
    expect(coleiRecurrentFactor(ne, 9, 2)).toBeCloseTo(1 / 3, 15);
    expect(coleiInputFactor(ne, 8)).toBe(1);
    expect(coleiInputFactor(ne, 9)).toBeCloseTo(1 / 3, 15);
  });

  it("multiplies a ColEI layer's U and W gradients elementwise as a float64 loop does, leaves bias and readout alone, and keeps the tensor count flat", () => {
    const model = buildRecurrentNetwork({ kind: "colei", seed: 2, hidden: [20], steps: 5, inputs: 7, outputs: 3 });
    const before = tf.memory().numTensors;
    const transform = colEiInhibitoryScaling(model);
    const ne = 18; // 20 units, 10% inhibitory
    const weights = model.trainableWeights;
    const grads = Object.fromEntries(weights.map((w, i) => [w.name, tf.randomNormal(w.shape as number[], 0, 1, "float32", 10 + i)]));
    const out = tf.tidy(() => transform.apply(grads, () => undefined));
    for (const w of weights) {
      const g = grads[w.name]!.dataSync();
      const o = out[w.name]!.dataSync();
      const [rows, cols] = [w.shape[0]!, w.shape[1] ?? 1];
      const inRnn = w.name.startsWith(`${model.layers[0]!.name}/`);
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const k = r * cols + c;
          const factor = !inRnn ? 1 : w.name.endsWith("/w") ? coleiRecurrentFactor(ne, r, c) : w.name.endsWith("/u") ? coleiInputFactor(ne, r) : 1;
          expect(Math.abs(o[k]! - g[k]! * factor), `${w.name}[${r}, ${c}]`).toBeLessThanOrEqual(1e-7 * Math.abs(g[k]!));
        }
      }
      if (!inRnn || w.name.endsWith("/bias")) expect(out[w.name], w.name).toBe(grads[w.name]); // not scaled: the very same tensor
    }
    tf.dispose(Object.values(out).filter((t) => !Object.values(grads).includes(t)));
    tf.dispose(Object.values(grads));
    transform.dispose!();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it("trains a ColEI network under projected SGD with the signs kept after every step, and refuses a model without a ColEI layer", () => {
    const model = buildRecurrentNetwork({ kind: "colei", seed: 3, hidden: [16], steps: 4, inputs: 6, outputs: 2 });
    const optimizer = new ProjectedSGD({ learningRate: 0.5, transforms: [colEiInhibitoryScaling(model)], clipNorm: { maxNorm: 5, scope: "per-tensor" } });
    const x = tf.randomUniform([8, 4, 6], 0, 1, "float32", 1);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 0, 1, 1, 0, 0, 1], "int32"), 2));
    const losses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar, true)!;
      losses.push(loss.dataSync()[0]!);
      loss.dispose();
      expect(totalViolations(signViolations(model)), `step ${i}`).toBe(0);
    }
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    const rnn = buildRecurrentNetwork({ kind: "standard", seed: 3, hidden: [16], steps: 4, inputs: 6, outputs: 2 });
    expect(() => colEiInhibitoryScaling(rnn)).toThrow(/^colEiInhibitoryScaling: the model has no ColEI recurrent layer$/);
    tf.dispose([x, y]);
    optimizer.dispose();
    model.dispose();
    rnn.dispose();
  });
});
