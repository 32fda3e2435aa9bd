import { describe, expect, it } from "vitest";
import { trialSet } from "../trial-set.js";
import { scoreTrials } from "../score-trials.js";
import { durationSteps } from "../period-duration.js";
import { constantPolicy, expectWellFormed, meanInput, respond } from "../internal/testing.js";
import { contextDecisionMaking } from "./context-decision-making.js";
import type { Trial } from "../trial.js";
import type { TrialTask } from "../trial-task.js";

// Reads the context cue, then integrates only the cued modality.
const contextual = (task: TrialTask) => (tr: Trial) => {
  const m = tr.inputs[5]! > tr.inputs[6]! ? 0 : 1;
  return respond(task, tr, meanInput(tr, 1 + 2 * m, "stimulus") >= meanInput(tr, 2 + 2 * m, "stimulus") ? 1 : 2);
};
// Always follows modality 1, whatever the cue.
const modality1 = (task: TrialTask) => (tr: Trial) => respond(task, tr, meanInput(tr, 1, "stimulus") >= meanInput(tr, 2, "stimulus") ? 1 : 2);

describe("contextDecisionMaking", () => {
  it("contextDecisionMaking() has 300 / 750 / TruncExp(600, 300, 3000) / 100 ms and coherences 5, 15, 50", () => {
    const task = contextDecisionMaking();
    expect(task.maxSteps).toBe(15 + 38 + 150 + 5);
    const trials = trialSet(task, { seed: 0, count: 2000 });
    expectWellFormed(task, trials.slice(0, 300));
    let sum = 0;
    for (const tr of trials) {
      const { fixation, stimulus, delay, decision } = tr.meta.periods;
      expect(fixation!.end - fixation!.start).toBe(15);
      expect(stimulus!.end - stimulus!.start).toBe(durationSteps(750, 20));
      const d = delay!.end - delay!.start;
      expect(d).toBeGreaterThanOrEqual(15);
      expect(d).toBeLessThanOrEqual(150);
      sum += d * 20;
      expect(decision!.end - decision!.start).toBe(5);
      expect([5, 15, 50]).toContain(tr.meta.condition.coherence1);
      expect([5, 15, 50]).toContain(tr.meta.condition.coherence2);
    }
    // Mean of Exp(600) truncated to [300, 3000]: 300 + 600 − 2700 e^{−4.5} / (1 − e^{−4.5}) ≈ 869 ms.
    const a = Math.exp(-2700 / 600);
    expect(sum / trials.length).toBeGreaterThan(300 + 600 - (2700 * a) / (1 - a) - 25);
    expect(sum / trials.length).toBeLessThan(300 + 600 - (2700 * a) / (1 - a) + 25);
    expect(new Set(trials.map((t) => t.steps)).size).toBeGreaterThan(50);
  });

  it("the context cue is on all trial, and the relevant modality's signed coherence is the psychometric variable", () => {
    const task = contextDecisionMaking();
    for (const tr of trialSet(task, { seed: 1, count: 100 })) {
      const ctx = tr.meta.condition.context!;
      expect(meanInput(tr, 5 + ctx, "decision")).toBe(1);
      expect(meanInput(tr, 6 - ctx, "fixation")).toBe(0);
      const s1 = meanInput(tr, 1, "stimulus") - meanInput(tr, 2, "stimulus");
      const s2 = meanInput(tr, 3, "stimulus") - meanInput(tr, 4, "stimulus");
      expect(s1).toBeCloseTo(tr.meta.condition.signedCoherence1! / 100, 5);
      expect(s2).toBeCloseTo(tr.meta.condition.signedCoherence2! / 100, 5);
      expect(tr.meta.psychometric).toBe(ctx === 0 ? tr.meta.condition.signedCoherence1 : tr.meta.condition.signedCoherence2);
      expect(tr.meta.psychometric > 0).toBe(tr.meta.choice === 0);
      expect(meanInput(tr, 1, "delay")).toBe(0);
    }
  });

  it("trialSet(task, {seed}) is reproducible", () => {
    expect(trialSet(contextDecisionMaking({ inputNoise: 0.5 }), { seed: 5, count: 10 })).toEqual(trialSet(contextDecisionMaking({ inputNoise: 0.5 }), { seed: 5, count: 10 }));
  });

  it("the context-following policy scores 100 %; ignoring the cue gives 75 % (chance on the other context); a constant policy 50 %", () => {
    const task = contextDecisionMaking();
    const trials = trialSet(task, { seed: 2, count: 1000 });
    expect(scoreTrials(task, trials, trials.map(contextual(task))).accuracy).toBe(1);
    const ignoring = scoreTrials(task, trials, trials.map(modality1(task))).accuracy;
    expect(ignoring).toBeGreaterThan(0.7);
    expect(ignoring).toBeLessThan(0.8);
    const constant = scoreTrials(task, trials, trials.map((t) => constantPolicy(t))).accuracy;
    expect(constant).toBeGreaterThan(0.45);
    expect(constant).toBeLessThan(0.55);
  });

  it("contextDecisionMaking rejects negative coherences and a malformed delay, naming the value", () => {
    expect(() => contextDecisionMaking({ coherences: [-5, 15] })).toThrow(/coherences\[0\] must be a finite number >= 0; got -5/);
    expect(() => contextDecisionMaking({ timing: { delay: { kind: "truncated-exponential", mean: 600, min: 3000, max: 300 } } })).toThrow(
      /period "delay" truncatedExponential\(mean, min, max\) needs finite mean > 0 and 0 <= min < max; got \{"kind":"truncated-exponential","mean":600,"min":3000,"max":300\}/,
    );
    expect(() => contextDecisionMaking({ timing: { delay: { kind: "truncated-exponential", mean: 600, min: 0, max: 3000 } } })).toThrow(/period "delay" can last 0 ms/);
  });
});
