import { describe, expect, it } from "vitest";
import { trialSet } from "../trial-set.js";
import { scoreTrials } from "../score-trials.js";
import { constantPolicy, expectWellFormed } from "../internal/testing.js";
import { readySetGo } from "./ready-set-go.js";
import type { Trial } from "../trial.js";
import type { TrialTask } from "../trial-task.js";

/** Outputs that go (hi) from `step` on and fixate before. */
function goAt(task: TrialTask, tr: Trial, step: number): Float32Array {
  const { hi, lo } = task.targetLevels;
  const z = new Float32Array(tr.steps * 2);
  for (let t = 0; t < tr.steps; t++) {
    z[t * 2] = t < step ? hi : lo;
    z[t * 2 + 1] = t < step ? lo : hi;
  }
  return z;
}

const firstOn = (tr: Trial, c: number): number => {
  for (let t = 0; t < tr.steps; t++) if (tr.inputs[t * 3 + c]! > 0.5) return t;
  return -1;
};
const lastOn = (tr: Trial, c: number): number => {
  for (let t = tr.steps - 1; t >= 0; t--) if (tr.inputs[t * 3 + c]! > 0.5) return t;
  return -1;
};

// Measures ready-end → set-onset from the inputs and goes that long after set onset (gain 1).
const reproduce = (task: TrialTask, gain = 1) => (tr: Trial) => {
  const setOn = firstOn(tr, 2);
  const measured = setOn - (lastOn(tr, 1) + 1);
  return goAt(task, tr, setOn + Math.round(gain * measured));
};

describe("readySetGo", () => {
  it("readySetGo() has fixation 100, ready 83, measure U(800, 1500), set 83 ms and production 2 × the target", () => {
    const task = readySetGo();
    const trials = trialSet(task, { seed: 0, count: 1000 });
    expectWellFormed(task, trials.slice(0, 200));
    const measures = new Set<number>();
    for (const tr of trials) {
      const { ready, measure, set, production } = tr.meta.periods;
      expect(ready!.end - ready!.start).toBe(4);
      expect(set!.end - set!.start).toBe(4);
      const m = (measure!.end - measure!.start) * 20;
      expect(m).toBeGreaterThanOrEqual(800);
      expect(m).toBeLessThanOrEqual(1500);
      measures.add(m);
      expect(tr.meta.targetInterval).toBe(m);
      expect(tr.meta.psychometric).toBe(m);
      expect((production!.end - production!.start) * 20).toBe(2 * m);
      // The go target steps up exactly target / dt after set onset.
      const tGo = set!.start + m / 20;
      expect(tr.targets[(tGo - 1) * 2 + 1]).toBe(Math.fround(0.2));
      expect(tr.targets[tGo * 2 + 1]).toBe(1);
    }
    expect(measures.size).toBe(36); // 800, 820, …, 1500
    expect(task.maxSteps).toBe(5 + 4 + 75 + 4 + 150);
  });

  it("trialSet(task, {seed}) is reproducible", () => {
    expect(trialSet(readySetGo(), { seed: 6, count: 10 })).toEqual(trialSet(readySetGo(), { seed: 6, count: 10 }));
  });

  it("reproducing the measured interval scores 100 % (also with gain 1.5); constant outputs 0 %; a fixed 1100 ms response ≈ 65 %", () => {
    const task = readySetGo();
    const trials = trialSet(task, { seed: 1, count: 2000 });
    const good = scoreTrials(task, trials, trials.map(reproduce(task)));
    expect(good.accuracy).toBe(1);
    expect(good.decisions.every((d, i) => d === trials[i]!.meta.targetInterval)).toBe(true);
    const scaled = readySetGo({ gain: 1.5 });
    const st = trialSet(scaled, { seed: 1, count: 200 });
    expect(scoreTrials(scaled, st, st.map(reproduce(scaled, 1.5))).accuracy).toBe(1);
    expect(scoreTrials(task, trials, trials.map((t) => constantPolicy(t, 0.5))).accuracy).toBe(0);
    expect(scoreTrials(task, trials, trials.map((t) => constantPolicy(t, 1))).accuracy).toBe(0);
    // Stimulus-blind: correct iff 1100 / 1.2 <= t_s <= 1100 / 0.8, i.e. (1375 − 916.7) / 700 ≈ 0.655 of U(800, 1500).
    const blind = scoreTrials(task, trials, trials.map((t) => goAt(task, t, t.meta.periods.set!.start + 55))).accuracy;
    expect(blind).toBeGreaterThan(0.6);
    expect(blind).toBeLessThan(0.71);
  });

  it("a response 19 % late is correct and 21 % late is wrong (±20 % of the target)", () => {
    const task = readySetGo({ dt: 10, timing: { measure: 1000 } });
    const [tr] = trialSet(task, { seed: 0, count: 1 });
    const set = tr!.meta.periods.set!.start;
    expect(scoreTrials(task, [tr!], [goAt(task, tr!, set + 119)]).accuracy).toBe(1);
    expect(scoreTrials(task, [tr!], [goAt(task, tr!, set + 120)]).accuracy).toBe(1);
    expect(scoreTrials(task, [tr!], [goAt(task, tr!, set + 121)]).accuracy).toBe(0);
    expect(scoreTrials(task, [tr!], [goAt(task, tr!, set + 80)]).accuracy).toBe(1);
    expect(scoreTrials(task, [tr!], [goAt(task, tr!, set + 79)]).accuracy).toBe(0);
  });

  it("readySetGo rejects gain <= 0, a tolerance outside (0, 1) and a measure that can round to 0 steps, naming the value", () => {
    expect(() => readySetGo({ gain: 0 })).toThrow(/gain must be a finite number > 0; got 0/);
    expect(() => readySetGo({ tolerance: 1.5 })).toThrow(/tolerance must be in \(0, 1\); got 1.5/);
    expect(() => readySetGo({ timing: { measure: { kind: "uniform", min: 5, max: 1500 } } })).toThrow(/period "measure" can last 5 ms, which is 0 steps/);
    expect(() => readySetGo({ timing: { measure: { kind: "uniform", min: 1500, max: 800 } } })).toThrow(/uniform\(min, max\) needs finite 0 <= min <= max/);
  });
});
