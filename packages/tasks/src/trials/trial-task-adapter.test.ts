import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { trialTaskAdapter } from "./trial-task-adapter.js";
import { trialHostBatches } from "./trial-host-batches.js";
import { batchTrials } from "./batch-trials.js";
import { scoreTrials } from "./score-trials.js";
import { trialSet } from "./trial-set.js";
import { constantPolicy, randomPolicy, respond } from "./internal/testing.js";
import { crossEntropy64, mse64 } from "./internal/reference.js";
import { perceptualDecisionMaking } from "./tasks/perceptual-decision-making.js";
import { contextDecisionMaking } from "./tasks/context-decision-making.js";
import { delayMatchSample } from "./tasks/delay-match-sample.js";
import { goNoGo } from "./tasks/go-no-go.js";
import { delayComparison } from "./tasks/delay-comparison.js";
import { readySetGo } from "./tasks/ready-set-go.js";
import { multisensoryIntegration } from "./tasks/multisensory-integration.js";
import type { Trial } from "./trial.js";
import type { TrialTask } from "./trial-task.js";

/** Per-trial outputs padded batch-major into one [B, T, nOut] array (padding zero). */
function padOutputs(trials: readonly Trial[], outputs: readonly Float32Array[], T: number): Float32Array {
  const nOut = trials[0]!.nOut;
  const z = new Float32Array(trials.length * T * nOut);
  outputs.forEach((o, b) => z.set(o, b * T * nOut));
  return z;
}

// An oracle that reads the ground truth (this file tests the metric, not the task): the device
// read-out must agree with the host one on all-correct, constant and random outputs.
const oracle = (task: TrialTask, tr: Trial): Float32Array => {
  if (task.readout.kind === "first-crossing") {
    const step = tr.meta.periods.set!.start + tr.meta.targetInterval! / task.dt;
    const z = new Float32Array(tr.steps * 2);
    for (let t = 0; t < tr.steps; t++) z[t * 2 + 1] = t < step ? 0.2 : 1;
    return z;
  }
  return respond(task, tr, task.readout.channels[tr.meta.choice!]!);
};

const allTasks = (): TrialTask[] => [
  perceptualDecisionMaking(), contextDecisionMaking(), delayMatchSample(), goNoGo(), delayComparison(), readySetGo(), multisensoryIntegration(),
];

describe("trialTaskAdapter", () => {
  useBackendWithLeakCheck("cpu");

  it("trialTaskAdapter(task).toTensors(hostBatch) gives inputs [B, T, nIn] and packed targets [B, T, 2 nOut + 2]", () => {
    const pdm = contextDecisionMaking();
    const task = trialTaskAdapter(pdm);
    expect([task.kind, task.metricName, task.packedWidth, task.inputShape]).toEqual(["trial", "decision error rate", 8, [pdm.maxSteps, 7]]);
    const trials = trialSet(pdm, { seed: 0, count: 5 });
    const [hb] = trialHostBatches(pdm, trials, { batchSize: 8 });
    const ref = batchTrials(trials);
    expect(hb!.steps).toBe(ref.steps);
    const { inputs, targets } = task.toTensors(hb!);
    expect(inputs.shape).toEqual([5, ref.steps, 7]);
    expect(targets.shape).toEqual([5, ref.steps, 8]);
    expect(inputs.dataSync()).toEqual(ref.inputs);
    const packed = targets.dataSync();
    for (let r = 0; r < 5 * ref.steps; r++) {
      expect(Array.from(packed.subarray(r * 8, r * 8 + 3))).toEqual(Array.from(ref.targets.subarray(r * 3, r * 3 + 3)));
      expect(Array.from(packed.subarray(r * 8 + 3, r * 8 + 6))).toEqual(Array.from(ref.mask.subarray(r * 3, r * 3 + 3)));
      expect(packed[r * 8 + 7]).toBe(trials[Math.floor(r / ref.steps)]!.meta.choice);
    }
    tf.dispose([inputs, targets]);
  });

  it("loss is the masked MSE over the real steps (padding excluded), or the masked cross-entropy of the per-step labels", () => {
    const base = contextDecisionMaking({ supervise: "decision" });
    const trials = trialSet(base, { seed: 1, count: 6 });
    const [hb] = trialHostBatches(base, trials, { batchSize: 6 });
    const ref = batchTrials(trials);
    const zv = Float32Array.from({ length: ref.targets.length }, (_, i) => Math.sin(i));
    for (const divideBy of ["mask-sum", "all-elements"] as const) {
      const mse = trialTaskAdapter(base, { divideBy });
      const ce = trialTaskAdapter(base, { loss: "cross-entropy", divideBy });
      const { inputs, targets } = mse.toTensors(hb!);
      const z = tf.tensor3d(zv, [6, ref.steps, 3]);
      const l1 = mse.loss(z, targets);
      const l2 = ce.loss(z, targets);
      expect(l1.dataSync()[0]).toBeCloseTo(mse64(zv, ref.targets, ref.mask, 3, divideBy), 6);
      const labels = Array.from({ length: 6 * ref.steps }, (_, r) => {
        const row = Array.from(ref.targets.subarray(r * 3, r * 3 + 3));
        return row.indexOf(Math.max(...row));
      });
      const stepMask = Array.from({ length: 6 * ref.steps }, (_, r) => Math.max(...ref.mask.subarray(r * 3, r * 3 + 3)));
      expect(l2.dataSync()[0]).toBeCloseTo(crossEntropy64(zv, labels, stepMask, 3, divideBy), 5);
      tf.dispose([inputs, targets, z, l1, l2]);
    }
  });

  it("errorSum counts the same wrong decisions as scoreTrials for oracle, constant and random outputs on every task", () => {
    for (const trialTask of allTasks()) {
      const task = trialTaskAdapter(trialTask);
      const trials = trialSet(trialTask, { seed: 2, count: 40 });
      for (const policy of [(t: Trial) => oracle(trialTask, t), (t: Trial) => constantPolicy(t), (t: Trial) => randomPolicy(t, 1), (t: Trial) => randomPolicy(t, 2)]) {
        const outs = trials.map(policy);
        const host = scoreTrials(trialTask, trials, outs);
        const [hb] = trialHostBatches(trialTask, trials, { batchSize: 40, padTo: "task" });
        const { inputs, targets } = task.toTensors(hb!);
        const z = tf.tensor3d(padOutputs(trials, outs, hb!.steps!), [40, hb!.steps!, trialTask.outputNames.length]);
        const err = task.errorSum(z, targets);
        expect([trialTask.name, err.dataSync()[0]]).toEqual([trialTask.name, host.correct.filter((c) => !c).length]);
        tf.dispose([inputs, targets, z, err]);
      }
      const good = scoreTrials(trialTask, trials, trials.map((t) => oracle(trialTask, t)));
      expect([trialTask.name, good.accuracy]).toEqual([trialTask.name, 1]);
    }
  });

  it("the existing training pattern (optimizer.minimize of task.loss on a recurrent model) learns perceptual decision making", () => {
    const base = perceptualDecisionMaking({ dt: 100, timing: { stimulus: 500 } });
    const task = trialTaskAdapter(base);
    const model = tf.sequential({
      layers: [
        tf.layers.simpleRNN({ units: 16, returnSequences: true, inputShape: [null, 3], kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), recurrentInitializer: tf.initializers.orthogonal({ seed: 2, gain: 1 }) }),
        tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }) }),
      ],
    });
    const optimizer = tf.train.adam(0.02);
    const batches = trialHostBatches(base, trialSet(base, { seed: 3, count: 32 * 60 }), { batchSize: 32 });
    const losses: number[] = [];
    for (const hb of batches) {
      const l = tf.tidy(() => {
        const { inputs, targets } = task.toTensors(hb);
        return optimizer.minimize(() => task.loss(model.apply(inputs) as tf.Tensor, targets), true)!;
      });
      losses.push(l.dataSync()[0]!);
      l.dispose();
    }
    const first = losses.slice(0, 5).reduce((a, b) => a + b) / 5;
    const last = losses.slice(-5).reduce((a, b) => a + b) / 5;
    expect(last).toBeLessThan(first / 3);
    const test = trialSet(base, { seed: 4, count: 200 });
    const [hb] = trialHostBatches(base, test, { batchSize: 200 });
    const err = tf.tidy(() => {
      const { inputs, targets } = task.toTensors(hb!);
      return task.errorSum(model.apply(inputs) as tf.Tensor, targets).dataSync()[0]!;
    });
    expect(1 - err / 200).toBeGreaterThan(0.8); // coherence-0 trials cap the ceiling near 90 %
    model.dispose();
    optimizer.dispose();
  });

  it("toTensors, loss and trialHostBatches reject bad batches, naming the sizes", () => {
    const base = goNoGo({ dt: 100 });
    const task = trialTaskAdapter(base);
    const trials = trialSet(base, { seed: 0, count: 3 });
    expect(() => task.toTensors({ x: new Float32Array(10), size: 1, steps: 16 })).toThrow(/batch has no targets; build batches with trialHostBatches/);
    expect(() => task.toTensors({ x: new Float32Array(10), targets: new Float32Array(96), size: 1, steps: 16 })).toThrow(/batch.x holds 10 values; expected at least size \* steps \* nIn = 48/);
    const [hb] = trialHostBatches(base, trials, { batchSize: 3 });
    const { inputs, targets } = task.toTensors(hb!);
    const z = tf.zeros([3, 16, 3]);
    expect(() => task.loss(z, targets)).toThrow(/outputs have shape \[3, 16, 3\]; expected \[3, 16, 2\] \(batch, steps, outputs\)/);
    tf.dispose([inputs, targets, z]);
    expect(() => trialTaskAdapter(base, { loss: "hinge" as never })).toThrow(/loss must be "mse" or "cross-entropy"; got "hinge"/);
    expect(() => trialHostBatches(base, trials, { batchSize: 0 })).toThrow(/batchSize must be an integer >= 1; got 0/);
    expect(() => trialHostBatches(base, trials, { batchSize: 2, padTo: 4 })).toThrow(/padTo 4 gives 4 steps; expected an integer >= the longest trial \(16\)/);
    expect(() => trialHostBatches(base, [], { batchSize: 2 })).toThrow(/got 0 trials/);
    expect(trialHostBatches(base, trials, { batchSize: 2 }).map((b) => [b.size, b.steps])).toEqual([[2, 16], [1, 16]]);
  });
});
