import { describe, expect, it } from "vitest";
import { trialSet } from "../trial-set.js";
import { scoreTrials } from "../score-trials.js";
import { constantPolicy, expectWellFormed, meanInput, respond } from "../internal/testing.js";
import { goNoGo } from "./go-no-go.js";
import type { Trial } from "../trial.js";
import type { TrialTask } from "../trial-task.js";

// Goes (output 1) when the go input was stronger than the no-go input; otherwise keeps fixating (output 0).
const obey = (task: TrialTask) => (tr: Trial) => respond(task, tr, meanInput(tr, 2, "stimulus") > meanInput(tr, 1, "stimulus") ? 1 : 0);

describe("goNoGo", () => {
  it("goNoGo() has 100 / 500 / 500 / 500 ms; go trials switch to the go output, no-go trials keep fixating", () => {
    const task = goNoGo();
    const trials = trialSet(task, { seed: 0, count: 200 });
    expectWellFormed(task, trials);
    for (const tr of trials) {
      expect(tr.steps).toBe(80);
      const { decision } = tr.meta.periods;
      const go = tr.meta.choice === 1;
      expect(tr.meta.condition.go).toBe(tr.meta.choice);
      expect(meanInput(tr, go ? 2 : 1, "stimulus")).toBe(1);
      expect(meanInput(tr, go ? 1 : 2, "stimulus")).toBe(0);
      expect(tr.targets[decision!.start * 2]).toBe(Math.fround(go ? 0.2 : 1));
      expect(tr.targets[decision!.start * 2 + 1]).toBe(Math.fround(go ? 1 : 0.2));
      expect(tr.meta.psychometric).toBe(go ? 1 : -1);
    }
  });

  it("trialSet(task, {seed}) is reproducible", () => {
    expect(trialSet(goNoGo({ dt: 10 }), { seed: 8, count: 10 })).toEqual(trialSet(goNoGo({ dt: 10 }), { seed: 8, count: 10 }));
  });

  it("obeying the stimulus scores 100 %; a constant policy or always-go 50 %", () => {
    const task = goNoGo();
    const trials = trialSet(task, { seed: 1, count: 800 });
    expect(scoreTrials(task, trials, trials.map(obey(task))).accuracy).toBe(1);
    for (const policy of [(t: Trial) => constantPolicy(t), (t: Trial) => respond(task, t, 1)]) {
      const a = scoreTrials(task, trials, trials.map(policy)).accuracy;
      expect(a).toBeGreaterThan(0.44);
      expect(a).toBeLessThan(0.56);
    }
  });

  it("goNoGo rejects a non-finite dt and a negative duration, naming the value", () => {
    expect(() => goNoGo({ dt: Number.NaN })).toThrow(/dt \(ms\) must be a finite number > 0; got NaN/);
    expect(() => goNoGo({ timing: { stimulus: -500 } })).toThrow(/period "stimulus" must last a finite number of ms >= 0; got -500/);
  });
});
