import { describe, expect, it } from "vitest";
import { trialSet } from "../trial-set.js";
import { scoreTrials } from "../score-trials.js";
import { choiceFraction, constantPolicy, expectWellFormed, meanInput, respond } from "../internal/testing.js";
import { perceptualDecisionMaking } from "./perceptual-decision-making.js";
import type { Trial } from "../trial.js";
import type { TrialTask } from "../trial-task.js";

// Integrates stimulus 1 − stimulus 2 over the stimulus period and reports the sign.
const integrate = (task: TrialTask) => (tr: Trial) => respond(task, tr, meanInput(tr, 1, "stimulus") >= meanInput(tr, 2, "stimulus") ? 1 : 2);

describe("perceptualDecisionMaking", () => {
  it("perceptualDecisionMaking() has neurogym's timing 100 / 2000 / 100 ms and coherences 0 … 51.2 at dt = 20", () => {
    const task = perceptualDecisionMaking();
    expect(task.dt).toBe(20);
    expect(task.periodNames).toEqual(["fixation", "stimulus", "decision"]);
    expect(task.maxSteps).toBe(110);
    const trials = trialSet(task, { seed: 0, count: 400 });
    expectWellFormed(task, trials);
    for (const tr of trials) {
      expect(tr.meta.periods).toEqual({ fixation: { start: 0, end: 5 }, stimulus: { start: 5, end: 105 }, decision: { start: 105, end: 110 } });
      expect([0, 6.4, 12.8, 25.6, 51.2]).toContain(tr.meta.condition.coherence);
    }
    expect(new Set(trials.map((t) => t.meta.condition.coherence)).size).toBe(5);
    expect(choiceFraction(trials, 0)).toBeGreaterThan(0.4);
    expect(choiceFraction(trials, 0)).toBeLessThan(0.6);
  });

  it("the stimulus favours the ground truth by coh / 100 and the psychometric variable is the signed coherence", () => {
    const task = perceptualDecisionMaking();
    for (const tr of trialSet(task, { seed: 1, count: 100 })) {
      const coh = tr.meta.condition.coherence!;
      const diff = meanInput(tr, 1, "stimulus") - meanInput(tr, 2, "stimulus");
      expect(diff).toBeCloseTo((tr.meta.choice === 0 ? 1 : -1) * (coh / 100), 5);
      expect(tr.meta.psychometric).toBe(coh === 0 ? 0 : (tr.meta.choice === 0 ? 1 : -1) * coh);
      expect(meanInput(tr, 1, "fixation")).toBe(0);
      expect(meanInput(tr, 2, "decision")).toBe(0);
    }
  });

  it("trialSet(task, {seed}) gives identical trials twice, and inputNoise draws reproducible noise", () => {
    const task = perceptualDecisionMaking({ inputNoise: 1 });
    const a = trialSet(task, { seed: 9, count: 20 });
    const b = trialSet(perceptualDecisionMaking({ inputNoise: 1 }), { seed: 9, count: 20 });
    expect(a).toEqual(b);
    const c = trialSet(task, { seed: 10, count: 20 });
    expect(a.map((t) => t.inputs)).not.toEqual(c.map((t) => t.inputs));
  });

  it("inputNoise σ adds N(0, σ² / dt) to the stimulus inputs only during the stimulus", () => {
    const task = perceptualDecisionMaking({ inputNoise: 1, coherences: [0] });
    let s = 0, s2 = 0, n = 0;
    for (const tr of trialSet(task, { seed: 2, count: 50 })) {
      const { stimulus, decision } = tr.meta.periods;
      for (let t = stimulus!.start; t < stimulus!.end; t++) {
        const v = tr.inputs[t * 3 + 1]! - 0.5;
        s += v; s2 += v * v; n++;
      }
      for (let t = decision!.start; t < decision!.end; t++) expect(tr.inputs[t * 3 + 1]).toBe(0);
    }
    expect(Math.abs(s / n)).toBeLessThan(0.01);
    expect(Math.sqrt(s2 / n)).toBeCloseTo(1 / Math.sqrt(20), 2);
  });

  it("an integrating policy is correct on every trial with coherence > 0 and at chance on coherence 0; a constant policy is at chance", () => {
    const task = perceptualDecisionMaking();
    const trials = trialSet(task, { seed: 3, count: 1000 });
    const good = scoreTrials(task, trials, trials.map(integrate(task)));
    const nonzero = trials.map((t, i) => [t, good.correct[i]] as const).filter(([t]) => t.meta.condition.coherence! > 0);
    expect(nonzero.every(([, ok]) => ok)).toBe(true);
    expect(good.accuracy).toBeGreaterThan(0.85);
    const zero = trials.map((t, i) => [t, good.correct[i]] as const).filter(([t]) => t.meta.condition.coherence === 0);
    expect(zero.filter(([, ok]) => ok).length / zero.length).toBeGreaterThan(0.35);
    expect(zero.filter(([, ok]) => ok).length / zero.length).toBeLessThan(0.65);
    const constant = scoreTrials(task, trials, trials.map((t) => constantPolicy(t)));
    expect(constant.accuracy).toBeGreaterThan(0.45);
    expect(constant.accuracy).toBeLessThan(0.55);
  });

  it("with neurogym's noise (σ = 1) the integrating policy stays near 100 % on coherence >= 12.8", () => {
    const task = perceptualDecisionMaking({ inputNoise: 1, coherences: [12.8, 25.6, 51.2] });
    const trials = trialSet(task, { seed: 4, count: 300 });
    expect(scoreTrials(task, trials, trials.map(integrate(task))).accuracy).toBeGreaterThan(0.97);
  });

  it("perceptualDecisionMaking rejects bad coherences, dt, timing and noise, naming the value", () => {
    expect(() => perceptualDecisionMaking({ coherences: [6.4, -12.8] })).toThrow(/coherences\[1\] must be a finite number >= 0; got -12.8/);
    expect(() => perceptualDecisionMaking({ coherences: [] })).toThrow(/coherences must be a non-empty list of numbers >= 0; got \[\]/);
    expect(() => perceptualDecisionMaking({ dt: 0 })).toThrow(/dt \(ms\) must be a finite number > 0; got 0/);
    expect(() => perceptualDecisionMaking({ dt: -20 })).toThrow(/got -20/);
    expect(() => perceptualDecisionMaking({ timing: { decision: 0 } })).toThrow(/period "decision" can last 0 ms, which is 0 steps at dt = 20 ms \(a zero-length period\)/);
    expect(() => perceptualDecisionMaking({ timing: { delay: 100 } })).toThrow(/unknown period "delay"; expected one of fixation, stimulus, decision/);
    expect(() => perceptualDecisionMaking({ inputNoise: -1 })).toThrow(/inputNoise must be a finite number >= 0; got -1/);
    expect(() => perceptualDecisionMaking({ targetLevels: { hi: 0.2, lo: 1 } })).toThrow(/hi > lo; got \{"hi":0.2,"lo":1\}/);
  });
});
