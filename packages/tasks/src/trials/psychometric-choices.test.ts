import { createRandomSource } from "@dale-nn/ei-init";
import { describe, expect, it } from "vitest";
import { fitPsychometric } from "./fit-psychometric.js";
import { normalCdf } from "./internal/normal-cdf.js";
import { psychometricChoices } from "./psychometric-choices.js";
import { psychometricLevels } from "./psychometric-levels.js";
import { trialSet } from "./trial-set.js";
import type { Trial } from "./trial.js";
import { contextDecisionMaking } from "./tasks/context-decision-making.js";
import { goNoGo } from "./tasks/go-no-go.js";
import { multisensoryIntegration } from "./tasks/multisensory-integration.js";
import { perceptualDecisionMaking } from "./tasks/perceptual-decision-making.js";
import { readySetGo } from "./tasks/ready-set-go.js";

/** Outputs [steps, nOut] whose decision-period read-out picks `decision` (channel 1 + decision hi). */
function outputsFor(trial: Trial, decision: number): Float32Array {
  const z = new Float32Array(trial.steps * trial.nOut);
  const { start, end } = trial.meta.periods.decision!;
  for (let t = start; t < end; t++) z[t * trial.nOut + 1 + decision] = 1;
  return z;
}

/** A simulated observer: chooses choice index 0 with probability Φ((drive(t) − μ) / σ). */
function observe(trials: readonly Trial[], drive: (t: Trial) => number, mu: number, sigma: number, seed: number): number[] {
  const rng = createRandomSource(seed);
  return trials.map((t) => (rng.uniform() < normalCdf((drive(t) - mu) / sigma) ? 0 : 1));
}

describe("psychometricChoices", () => {
  it("psychometricChoices(perceptual decision making, trials, { outputs }) gives signed coherence and choice 1; the fit recovers the observer's μ, σ", () => {
    const task = perceptualDecisionMaking({ timing: { stimulus: 100 } });
    const trials = trialSet(task, { seed: 1, count: 3000 });
    const decisions = observe(trials, (t) => t.meta.psychometric, 2, 8, 7);
    const pc = psychometricChoices(task, trials, { outputs: trials.map((t, i) => outputsFor(t, decisions[i]!)) });
    expect(pc).toMatchObject({ task: "perceptual decision making", choice: 0, choiceName: "choice 1", decisions });
    expect(pc.variables.map((v) => [v.key, v.name])).toEqual([["psychometric", "signed coherence (%)"]]);
    const v = pc.variables[0]!;
    expect(Array.from(v.stimulus.slice(0, 5))).toEqual(trials.slice(0, 5).map((t) => t.meta.psychometric));
    expect(Array.from(v.trialIndices.slice(0, 3))).toEqual([0, 1, 2]);
    const levels = psychometricLevels(v.stimulus, v.chose);
    expect(levels.map((l) => l.x)).toEqual([-51.2, -25.6, -12.8, -6.4, 0, 6.4, 12.8, 25.6, 51.2]);
    const fit = fitPsychometric(levels);
    expect(Math.abs(fit.mu - 2)).toBeLessThan(3 * fit.standardErrors!.mu);
    expect(Math.abs(fit.sigma - 8)).toBeLessThan(3 * fit.standardErrors!.sigma);
    // { decisions } gives the same pairs.
    expect(psychometricChoices(task, trials, { decisions }).variables[0]!.chose).toEqual(v.chose);
  });

  it("psychometricChoices(context-dependent decision making) separates the relevant, the irrelevant and each modality per context: the relevant slope is the steep one", () => {
    const task = contextDecisionMaking({ timing: { stimulus: 100, delay: 100 } });
    const trials = trialSet(task, { seed: 2, count: 4000 });
    const c = (t: Trial, k: string): number => t.meta.condition[k]!;
    const irrelevant = (t: Trial): number => (c(t, "context") === 0 ? c(t, "signedCoherence2") : c(t, "signedCoherence1"));
    // Leaky gating: the irrelevant modality enters with weight 0.1.
    const decisions = observe(trials, (t) => t.meta.psychometric + 0.1 * irrelevant(t), 0, 10, 3);
    const pc = psychometricChoices(task, trials, { decisions });
    expect(pc.choice).toBe(0);
    expect(pc.variables.map((v) => v.key)).toEqual(["relevant", "irrelevant", "modality 1, context 1", "modality 1, context 2", "modality 2, context 1", "modality 2, context 2"]);
    const fits = Object.fromEntries(pc.variables.map((v) => [v.key, fitPsychometric(psychometricLevels(v.stimulus, v.chose))]));
    const byKey = Object.fromEntries(pc.variables.map((v) => [v.key, v]));
    expect(Array.from(byKey.irrelevant!.stimulus.slice(0, 20))).toEqual(trials.slice(0, 20).map(irrelevant));
    expect(byKey["modality 1, context 1"]!.stimulus.length + byKey["modality 1, context 2"]!.stimulus.length).toBe(4000);
    // Relevant: the observer's σ = 10 inflated a little by the irrelevant leak; irrelevant: nearly flat.
    expect(fits.relevant!.sigma).toBeGreaterThan(8);
    expect(fits.relevant!.sigma).toBeLessThan(13);
    expect(fits.relevant!.slope).toBeGreaterThan(4 * Math.abs(fits.irrelevant!.slope));
    expect(fits["modality 1, context 1"]!.slope).toBeGreaterThan(4 * Math.abs(fits["modality 1, context 2"]!.slope));
    expect(fits["modality 2, context 2"]!.slope).toBeGreaterThan(4 * Math.abs(fits["modality 2, context 1"]!.slope));
  });

  it("psychometricChoices(multisensory integration) uses the signed total coherence; go / no-go counts 'go'", () => {
    const ms = multisensoryIntegration({ timing: { stimulus: 100 } });
    const trials = trialSet(ms, { seed: 4, count: 1500 });
    const pc = psychometricChoices(ms, trials, { decisions: observe(trials, (t) => t.meta.psychometric, 0, 15, 5) });
    expect(pc.variables.map((v) => v.name)).toEqual(["signed total coherence (%)"]);
    const fit = fitPsychometric(psychometricLevels(pc.variables[0]!.stimulus, pc.variables[0]!.chose));
    expect(Math.abs(fit.sigma - 15)).toBeLessThan(3 * fit.standardErrors!.sigma);

    const gng = goNoGo();
    const g = trialSet(gng, { seed: 0, count: 20 });
    const pg = psychometricChoices(gng, g, { decisions: g.map((t) => t.meta.choice!) });
    expect([pg.choice, pg.choiceName]).toEqual([1, "go"]);
    expect(psychometricLevels(pg.variables[0]!.stimulus, pg.variables[0]!.chose).map((l) => [l.x, l.fraction])).toEqual([[-1, 0], [1, 1]]);
  });

  it("psychometricChoices refuses a timing task, counts that differ, a decision that is not a choice and a bad counted choice", () => {
    const task = perceptualDecisionMaking();
    const trials = trialSet(task, { seed: 0, count: 3 });
    const rsg = readySetGo();
    expect(() => psychometricChoices(rsg, trialSet(rsg, { seed: 0, count: 1 }), { decisions: [0] })).toThrow(`psychometricChoices(${rsg.name}): needs an "argmax-mean" (choice) read-out; the task's read-out is "first-crossing"`);
    expect(() => psychometricChoices(task, trials, { decisions: [0, 1] })).toThrow("psychometricChoices(perceptual decision making): got 2 decisions for 3 trials; expected one per trial");
    expect(() => psychometricChoices(task, trials, { outputs: [] })).toThrow("psychometricChoices(perceptual decision making): got 0 outputs for 3 trials; expected one per trial");
    expect(() => psychometricChoices(task, trials, { decisions: [0, 2, 1] })).toThrow("psychometricChoices(perceptual decision making): decisions[1] must be a choice index in [0, 2); got 2");
    expect(() => psychometricChoices(task, trials, { decisions: [0, Number.NaN, 1] })).toThrow("decisions[1] must be a choice index in [0, 2); got NaN");
    expect(() => psychometricChoices(task, trials, { decisions: [0, 0, 1] }, { choice: 2 })).toThrow("psychometricChoices(perceptual decision making): choice must be a choice index in [0, 2); got 2");
    expect(() => psychometricChoices(task, [], { decisions: [] })).toThrow("psychometricChoices(perceptual decision making): got 0 trials; expected at least one");
  });
});
