import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackend } from "@dale-nn/test-support";
import { perceptualDecisionMaking, trialSet } from "@dale-nn/tasks";
import { CtNetwork } from "./ct-network.js";
import { evaluateTrials, halfDtCheck } from "./evaluate-trials.js";

const network = (dt: number): CtNetwork =>
  new CtNetwork({
    kind: "mixture", units: 20, inputs: 3, outputs: 3, dt, tauE: 100, tauI: 50, a0: 0.5, perUnit: false, normalisation: "frobenius", aLogitScale: 1,
    connectivity: null, recurrentNoise: 0.05, activityCost: 0, weightCost: 0, lastStepOnly: false, seed: 4,
  });

describe("evaluateTrials / halfDtCheck", () => {
  useBackend("cpu");

  it("stepsPerInput 2 equals feeding each input step twice by hand and keeping every second output", () => {
    const task = perceptualDecisionMaking({ dt: 20, timing: { fixation: 40, stimulus: 100, decision: 40 } });
    const trials = trialSet(task, { seed: 1, count: 5 });
    const net = network(10);
    const doubled = trials.map((t) => {
      const inputs = new Float32Array(2 * t.inputs.length);
      for (let s = 0; s < t.steps; s++) for (let r = 0; r < 2; r++) inputs.set(t.inputs.subarray(s * t.nIn, (s + 1) * t.nIn), (2 * s + r) * t.nIn);
      return { ...t, steps: 2 * t.steps, inputs, targets: new Float32Array(2 * t.targets.length), mask: new Float32Array(2 * t.steps) };
    });
    const fine = evaluateTrials(net, task, trials, { stepsPerInput: 2, chunk: 2 });
    const byHand = doubled.map((t) => {
      const z = net.predict(tf.tensor3d(t.inputs, [1, t.steps, t.nIn]));
      const all = z.dataSync() as Float32Array;
      z.dispose();
      const kept = new Float32Array(all.length / 2);
      for (let s = 0; s < t.steps / 2; s++) kept.set(all.subarray((2 * s + 1) * 3, (2 * s + 2) * 3), s * 3);
      return kept;
    });
    fine.outputs.forEach((z, i) => expect(Array.from(z)).toEqual(Array.from(byHand[i]!).map((v) => expect.closeTo(v, 5))));
    net.dispose();
  });

  it("halfDtCheck: the output change shrinks about linearly with dt (Euler is first order), decisions agree at small dt, no tensor leaks", () => {
    const trials = (dt: number) => trialSet(perceptualDecisionMaking({ dt, timing: { fixation: 100, stimulus: 400, decision: 100 } }), { seed: 2, count: 20 });
    const diffs: number[] = [];
    for (const dt of [20, 10, 5]) {
      const task = perceptualDecisionMaking({ dt, timing: { fixation: 100, stimulus: 400, decision: 100 } });
      const ts = trials(dt);
      const net = network(dt);
      const before = tf.memory().numTensors;
      const atDt = evaluateTrials(net, task, ts);
      const check = halfDtCheck(net, task, ts, atDt);
      expect(tf.memory().numTensors).toBe(before);
      expect(check.accuracy).toBeGreaterThanOrEqual(0);
      diffs.push(check.outputDifference);
      if (dt === 5) expect(check.agreement).toBeGreaterThan(0.9);
      net.dispose();
    }
    expect(diffs[0]!).toBeGreaterThan(0);
    // halving dt about halves the change (first order), within a generous band
    for (let i = 1; i < diffs.length; i++) expect(diffs[i]! / diffs[i - 1]!).toBeGreaterThan(0.3), expect(diffs[i]! / diffs[i - 1]!).toBeLessThan(0.7);
  });
});
