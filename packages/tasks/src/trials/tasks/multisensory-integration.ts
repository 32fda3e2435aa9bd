import { defineTrialTask, signOf } from "../internal/define-trial-task.js";
import { requireNonNegativeList } from "../internal/validate.js";
import type { TrialTask, TrialTaskOptions } from "../trial-task.js";

/** Options of {@link multisensoryIntegration}. */
export interface MultisensoryIntegrationOptions extends TrialTaskOptions {
  /** Total coherences in %, each >= 0; default 5, 15, 50 (neurogym). */
  coherences?: readonly number[];
}

/**
 * Multisensory integration (Raposo et al. 2012, Song et al. 2016; neurogym
 * `MultiSensoryIntegration`): two modalities point to the same choice; the total coherence c is
 * split between them, c₁ = c·p and c₂ = c·(1 − p) with p ~ U(0, 1), so the best decision sums both.
 *
 * Periods (ms): fixation 300, stimulus 750, decision 100. Inputs: fixation (1 until the
 * decision), modality 1 × 2, modality 2 × 2 (0.5 ± c_m / 200). Outputs: fixation, choice 1,
 * choice 2. Read-out: arg-max of the choice outputs averaged over the decision period.
 * Psychometric variable: signed total coherence (+c toward choice 1).
 *
 * @throws RangeError on bad options, naming the value
 * @example
 * const trials = trialSet(multisensoryIntegration({ inputNoise: 1 }), { seed: 0, count: 256 });
 */
export function multisensoryIntegration(options: MultisensoryIntegrationOptions = {}): TrialTask {
  const name = "multisensory integration";
  const cohs = requireNonNegativeList(name, "coherences", options.coherences ?? [5, 15, 50]);
  return defineTrialTask(
    {
      name,
      inputNames: ["fixation", "modality 1 choice 1", "modality 1 choice 2", "modality 2 choice 1", "modality 2 choice 2"],
      outputNames: ["fixation", "choice 1", "choice 2"],
      choiceNames: ["choice 1", "choice 2"],
      psychometricVariable: "signed total coherence (%)",
      periods: ["fixation", "stimulus", "decision"],
      defaultTiming: { fixation: 300, stimulus: 750, decision: 100 },
      decisionPeriod: "decision",
      readout: () => ({ kind: "argmax-mean", period: "decision", channels: [1, 2] }),
      fill(b, rng, ctx) {
        const choice = rng.integer(2);
        const coh = cohs[rng.integer(cohs.length)] as number;
        const share = rng.uniform();
        const c1 = coh * share;
        const c2 = coh * (1 - share);
        b.inputUntil(0, 1, "decision");
        b.input(1 + choice, 0.5 + c1 / 200, "stimulus");
        b.input(2 - choice, 0.5 - c1 / 200, "stimulus");
        b.input(3 + choice, 0.5 + c2 / 200, "stimulus");
        b.input(4 - choice, 0.5 - c2 / 200, "stimulus");
        b.noise([1, 2, 3, 4], ["stimulus"], ctx.noiseStd, rng);
        b.choiceTargets("decision", 1 + choice);
        return { condition: { coherence: coh, coherence1: c1, coherence2: c2, direction: choice }, choice, psychometric: coh === 0 ? 0 : signOf(choice) * coh };
      },
    },
    options,
  );
}
