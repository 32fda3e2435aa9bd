import { defineTrialTask, signOf } from "../internal/define-trial-task.js";
import { requireNonNegativeList } from "../internal/validate.js";
import type { TrialTask, TrialTaskOptions } from "../trial-task.js";

/** Options of {@link perceptualDecisionMaking}. */
export interface PerceptualDecisionMakingOptions extends TrialTaskOptions {
  /** Coherences in %, each >= 0; default 0, 6.4, 12.8, 25.6, 51.2 (neurogym). */
  coherences?: readonly number[];
}

/**
 * Perceptual decision making, random-dot motion (Britten et al. 1992; neurogym
 * `PerceptualDecisionMaking`): two stimulus inputs s_k = 0.5 ± coh / 200 (+ noise) for the two
 * directions during the stimulus period; report the stronger one after the fixation cue goes off.
 *
 * Periods (ms): fixation 100, stimulus 2000, decision 100. Inputs: fixation (1 until the
 * decision), stimulus 1, stimulus 2. Outputs: fixation, choice 1, choice 2 (hi / lo targets).
 * Read-out: arg-max of the two choice outputs averaged over the decision period. Psychometric
 * variable: signed coherence (+coh toward choice 1). Coherence-0 trials have a random ground
 * truth, so no policy beats 50 % on them.
 *
 * @throws RangeError on bad options (dt, timing, coherences, noise), naming the value
 * @example
 * const trials = trialSet(perceptualDecisionMaking({ dt: 20 }), { seed: 0, count: 500 });
 */
export function perceptualDecisionMaking(options: PerceptualDecisionMakingOptions = {}): TrialTask {
  const name = "perceptual decision making";
  const cohs = requireNonNegativeList(name, "coherences", options.coherences ?? [0, 6.4, 12.8, 25.6, 51.2]);
  return defineTrialTask(
    {
      name,
      inputNames: ["fixation", "stimulus 1", "stimulus 2"],
      outputNames: ["fixation", "choice 1", "choice 2"],
      choiceNames: ["choice 1", "choice 2"],
      psychometricVariable: "signed coherence (%)",
      periods: ["fixation", "stimulus", "decision"],
      defaultTiming: { fixation: 100, stimulus: 2000, decision: 100 },
      decisionPeriod: "decision",
      readout: () => ({ kind: "argmax-mean", period: "decision", channels: [1, 2] }),
      fill(b, rng, ctx) {
        const choice = rng.integer(2);
        const coh = cohs[rng.integer(cohs.length)] as number;
        b.inputUntil(0, 1, "decision");
        b.input(1 + choice, 0.5 + coh / 200, "stimulus");
        b.input(2 - choice, 0.5 - coh / 200, "stimulus");
        b.noise([1, 2], ["stimulus"], ctx.noiseStd, rng);
        b.choiceTargets("decision", 1 + choice);
        return { condition: { coherence: coh, direction: choice }, choice, psychometric: coh === 0 ? 0 : signOf(choice) * coh };
      },
    },
    options,
  );
}
