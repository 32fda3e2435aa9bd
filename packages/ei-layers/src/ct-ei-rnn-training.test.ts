import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { batchTrials, maskedMse, perceptualDecisionMaking, scoreTrials, trialSplits, unbatchOutputs, type Trial } from "@dale-nn/tasks";
import { CtEiRnn } from "./ct-ei-rnn-layer.js";

describe("CtEiRnn training", () => {
  useBackendWithLeakCheck("cpu", { disposeVariables: true });

  it("a Dale CT-RNN (50 units, 80% E, dt 20, τ 100 ms) trained with Adam 1e-3 on perceptual decision making rises clearly above chance", () => {
    const started = Date.now();
    // Shortened stimulus (500 ms instead of 2000) to keep the test fast; the rest at neurogym's defaults.
    const task = perceptualDecisionMaking({ dt: 20, timing: { fixation: 100, stimulus: 500, decision: 100 } });
    const { train, test } = trialSplits(task, { seed: 0, train: 3200, test: 200 });
    const rnn = new CtEiRnn({ units: 50, outputs: 3, dt: 20, tau: 100, recurrentNoise: 0.05, seed: 1 });
    rnn.build([null, task.maxSteps, 3]);
    const toTensors = (trials: Trial[]): { x: tf.Tensor3D; y: tf.Tensor3D; m: tf.Tensor3D; batch: ReturnType<typeof batchTrials> } => {
      const batch = batchTrials(trials, { steps: task.maxSteps });
      const shape: [number, number, number] = [batch.size, batch.steps, 3];
      return { x: tf.tensor3d(batch.inputs, shape), y: tf.tensor3d(batch.targets, shape), m: tf.tensor3d(batch.mask, shape), batch };
    };
    const accuracy = (): number => {
      const { x, y, m, batch } = toTensors(test);
      const z = rnn.apply(x, { noise: false }) as tf.Tensor;
      const acc = scoreTrials(task, test, unbatchOutputs(batch, z.dataSync())).accuracy;
      tf.dispose([x, y, m, z]);
      return acc;
    };
    const acc0 = accuracy();
    const opt = tf.train.adam(1e-3);
    const batchSize = 16, steps = 200;
    const losses: number[] = [];
    for (let s = 0; s < steps; s++) {
      const { x, y, m } = toTensors(train.slice((s * batchSize) % train.length, ((s * batchSize) % train.length) + batchSize));
      const loss = opt.minimize(() => maskedMse(rnn.apply(x) as tf.Tensor, y, m), true) as tf.Scalar;
      losses.push(loss.dataSync()[0]!);
      tf.dispose([x, y, m, loss]);
    }
    const acc1 = accuracy();
    const mean = (a: number[]): number => a.reduce((p, q) => p + q, 0) / a.length;
    const first = mean(losses.slice(0, 20)), last = mean(losses.slice(-20));
    console.log(`[ct-rnn training] ${steps} Adam steps, batch ${batchSize}, T = ${task.maxSteps}: loss ${first.toFixed(4)} → ${last.toFixed(4)}, accuracy ${acc0.toFixed(3)} → ${acc1.toFixed(3)} (200 test trials, chance 0.5), ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(last).toBeLessThan(first * 0.7);
    expect(acc1).toBeGreaterThan(0.7);
    expect(acc1 - acc0).toBeGreaterThan(0.1);
    const w = rnn.effectiveRecurrentWeight();
    const cols = w.arraySync();
    expect(cols.every((row) => row.every((v, j) => (j < 40 ? v >= 0 : v <= 0)))).toBe(true);
    tf.dispose([w]);
    opt.dispose();
  });
});
