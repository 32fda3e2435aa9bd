import { describe, expect, it } from "vitest";
import { trialSet } from "../trial-set.js";
import { scoreTrials } from "../score-trials.js";
import { constantPolicy, expectWellFormed, meanInput, respond } from "../internal/testing.js";
import { delayComparison } from "./delay-comparison.js";
import type { Trial } from "../trial.js";
import type { TrialTask } from "../trial-task.js";

// Holds f1 through the delay and compares it with f2.
const compare = (task: TrialTask) => (tr: Trial) => respond(task, tr, meanInput(tr, 1, "stimulus1") > meanInput(tr, 1, "stimulus2") ? 1 : 2);

describe("delayComparison", () => {
  it("delayComparison() has 500 / 500 / 1000 / 500 / 100 ms and Romo's frequency pairs coded in [0.5, 1]", () => {
    const task = delayComparison();
    const trials = trialSet(task, { seed: 0, count: 300 });
    expectWellFormed(task, trials);
    const pairs = ["18,10", "22,14", "26,18", "30,22", "34,26"];
    for (const tr of trials) {
      expect(tr.steps).toBe(130);
      const { f1, f2 } = tr.meta.condition;
      expect(pairs).toContain([Math.max(f1!, f2!), Math.min(f1!, f2!)].join(","));
      expect(meanInput(tr, 1, "stimulus1")).toBeCloseTo((1 + (f1! - 10) / 24) / 2, 6);
      expect(meanInput(tr, 1, "stimulus2")).toBeCloseTo((1 + (f2! - 10) / 24) / 2, 6);
      expect(meanInput(tr, 1, "delay")).toBe(0);
      expect(tr.meta.choice).toBe(f1! > f2! ? 0 : 1);
      expect(tr.meta.psychometric).toBe(f1! - f2!);
    }
    expect(trials.filter((t) => t.meta.choice === 0).length / 300).toBeGreaterThan(0.4);
  });

  it("trialSet(task, {seed}) is reproducible", () => {
    expect(trialSet(delayComparison({ inputNoise: 1 }), { seed: 2, count: 10 })).toEqual(trialSet(delayComparison({ inputNoise: 1 }), { seed: 2, count: 10 }));
  });

  it("comparing f1 with f2 scores 100 %; a constant policy 50 %", () => {
    const task = delayComparison();
    const trials = trialSet(task, { seed: 1, count: 800 });
    expect(scoreTrials(task, trials, trials.map(compare(task))).accuracy).toBe(1);
    const c = scoreTrials(task, trials, trials.map((t) => constantPolicy(t))).accuracy;
    expect(c).toBeGreaterThan(0.44);
    expect(c).toBeLessThan(0.56);
  });

  it("delayComparison rejects pairs with equal or negative frequencies, naming the pair", () => {
    expect(() => delayComparison({ frequencyPairs: [[18, 10], [20, 20]] })).toThrow(/frequencyPairs\[1\] must be two different finite frequencies > 0; got \[20,20\]/);
    expect(() => delayComparison({ frequencyPairs: [[-18, 10]] })).toThrow(/frequencyPairs\[0\] .* got \[-18,10\]/);
    expect(() => delayComparison({ frequencyPairs: [] })).toThrow(/non-empty list of \[f1, f2\] pairs; got \[\]/);
  });
});
