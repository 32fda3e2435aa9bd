import { describe, expect, it } from "vitest";
import { trialSet } from "../trial-set.js";
import { scoreTrials } from "../score-trials.js";
import { choiceFraction, constantPolicy, expectWellFormed, meanInput, respond } from "../internal/testing.js";
import { delayMatchSample } from "./delay-match-sample.js";
import type { Trial } from "../trial.js";
import type { TrialTask } from "../trial-task.js";

// Remembers which stimulus input was stronger in the sample and compares with the test.
const memory = (task: TrialTask) => (tr: Trial) => {
  const sample = meanInput(tr, 1, "sample") > meanInput(tr, 2, "sample") ? 0 : 1;
  const test = meanInput(tr, 1, "test") > meanInput(tr, 2, "test") ? 0 : 1;
  return respond(task, tr, sample === test ? 1 : 2);
};

describe("delayMatchSample", () => {
  it("delayMatchSample() has 300 / 500 / 1000 / 500 / 900 ms and a blank delay", () => {
    const task = delayMatchSample();
    const trials = trialSet(task, { seed: 0, count: 300 });
    expectWellFormed(task, trials);
    for (const tr of trials) {
      expect(tr.meta.periods).toEqual({
        fixation: { start: 0, end: 15 }, sample: { start: 15, end: 40 }, delay: { start: 40, end: 90 }, test: { start: 90, end: 115 }, decision: { start: 115, end: 160 },
      });
      expect(meanInput(tr, 1, "delay") + meanInput(tr, 2, "delay")).toBe(0);
      expect(tr.meta.condition.test === tr.meta.condition.sample).toBe(tr.meta.choice === 0);
      expect(tr.meta.psychometric).toBe(tr.meta.choice === 0 ? 1 : -1);
    }
    expect(choiceFraction(trials, 0)).toBeGreaterThan(0.4);
    expect(choiceFraction(trials, 0)).toBeLessThan(0.6);
  });

  it("trialSet(task, {seed}) is reproducible", () => {
    expect(trialSet(delayMatchSample({ inputNoise: 1 }), { seed: 3, count: 10 })).toEqual(trialSet(delayMatchSample({ inputNoise: 1 }), { seed: 3, count: 10 }));
  });

  it("a policy that remembers the sample scores 100 % (also with noise σ = 1); a constant policy 50 %", () => {
    for (const inputNoise of [0, 1]) {
      const task = delayMatchSample({ inputNoise });
      const trials = trialSet(task, { seed: 1, count: 600 });
      expect(scoreTrials(task, trials, trials.map(memory(task))).accuracy).toBeGreaterThan(inputNoise === 0 ? 0.999 : 0.99);
      const c = scoreTrials(task, trials, trials.map((t) => constantPolicy(t))).accuracy;
      expect(c).toBeGreaterThan(0.44);
      expect(c).toBeLessThan(0.56);
    }
  });

  it("supervise: \"decision\" masks every step outside the decision period (PsychRNN)", () => {
    const task = delayMatchSample({ supervise: "decision" });
    expectWellFormed(task, trialSet(task, { seed: 2, count: 20 }), "decision");
  });

  it("delayMatchSample rejects a zero-length delay and a bad supervise mode, naming the value", () => {
    expect(() => delayMatchSample({ timing: { delay: 0 } })).toThrow(/period "delay" can last 0 ms/);
    expect(() => delayMatchSample({ timing: { delay: 9 }, dt: 20 })).toThrow(/period "delay" can last 9 ms, which is 0 steps at dt = 20 ms/);
    expect(() => delayMatchSample({ supervise: "some" as never })).toThrow(/supervise must be "all" or "decision"; got "some"/);
  });
});
