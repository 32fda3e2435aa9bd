import { describe, expect, it } from "vitest";
import { trialSet } from "../trial-set.js";
import { scoreTrials } from "../score-trials.js";
import { constantPolicy, expectWellFormed, meanInput, respond } from "../internal/testing.js";
import { multisensoryIntegration } from "./multisensory-integration.js";
import type { Trial } from "../trial.js";
import type { TrialTask } from "../trial-task.js";

const evidence = (tr: Trial, m: number): number => meanInput(tr, 1 + 2 * m, "stimulus") - meanInput(tr, 2 + 2 * m, "stimulus");
// Sums the evidence of both modalities; the unisensory policy uses modality 1 only.
const both = (task: TrialTask) => (tr: Trial) => respond(task, tr, evidence(tr, 0) + evidence(tr, 1) >= 0 ? 1 : 2);
const only1 = (task: TrialTask) => (tr: Trial) => respond(task, tr, evidence(tr, 0) >= 0 ? 1 : 2);

describe("multisensoryIntegration", () => {
  it("multisensoryIntegration() has 300 / 750 / 100 ms; the two modalities share the total coherence and agree", () => {
    const task = multisensoryIntegration();
    const trials = trialSet(task, { seed: 0, count: 300 });
    expectWellFormed(task, trials);
    for (const tr of trials) {
      expect(tr.steps).toBe(15 + 38 + 5);
      const { coherence, coherence1, coherence2 } = tr.meta.condition;
      expect([5, 15, 50]).toContain(coherence);
      expect(coherence1! + coherence2!).toBeCloseTo(coherence!, 9);
      const sign = tr.meta.choice === 0 ? 1 : -1;
      expect(evidence(tr, 0)).toBeCloseTo((sign * coherence1!) / 100, 5);
      expect(evidence(tr, 1)).toBeCloseTo((sign * coherence2!) / 100, 5);
      expect(tr.meta.psychometric).toBe(sign * coherence!);
    }
  });

  it("trialSet(task, {seed}) is reproducible", () => {
    expect(trialSet(multisensoryIntegration({ inputNoise: 1 }), { seed: 4, count: 10 })).toEqual(trialSet(multisensoryIntegration({ inputNoise: 1 }), { seed: 4, count: 10 }));
  });

  it("integrating both modalities scores 100 %, and with noise beats a unisensory policy; a constant policy is at 50 %", () => {
    const task = multisensoryIntegration();
    const trials = trialSet(task, { seed: 1, count: 600 });
    expect(scoreTrials(task, trials, trials.map(both(task))).accuracy).toBe(1);
    const c = scoreTrials(task, trials, trials.map((t) => constantPolicy(t))).accuracy;
    expect(c).toBeGreaterThan(0.44);
    expect(c).toBeLessThan(0.56);
    const noisy = multisensoryIntegration({ inputNoise: 1 });
    const nt = trialSet(noisy, { seed: 2, count: 1000 });
    const multi = scoreTrials(noisy, nt, nt.map(both(noisy))).accuracy;
    const uni = scoreTrials(noisy, nt, nt.map(only1(noisy))).accuracy;
    expect(multi).toBeGreaterThan(uni + 0.03);
    expect(multi).toBeGreaterThan(0.85);
  });

  it("multisensoryIntegration rejects negative coherences, naming the value", () => {
    expect(() => multisensoryIntegration({ coherences: [5, Number.NEGATIVE_INFINITY] })).toThrow(/coherences\[1\] must be a finite number >= 0; got -Infinity/);
  });
});
