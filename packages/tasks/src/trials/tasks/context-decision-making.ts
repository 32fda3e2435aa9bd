import { periodDuration } from "../period-duration.js";
import { defineTrialTask, signOf } from "../internal/define-trial-task.js";
import { requireNonNegativeList } from "../internal/validate.js";
import type { TrialTask, TrialTaskOptions } from "../trial-task.js";

/** Options of {@link contextDecisionMaking}. */
export interface ContextDecisionMakingOptions extends TrialTaskOptions {
  /** Coherences in % for each modality, each >= 0; default 5, 15, 50 (neurogym, after Mante et al. 2013). */
  coherences?: readonly number[];
}

/**
 * Context-dependent decision making (Mante et al. 2013; neurogym `ContextDecisionMaking` with an
 * explicit context cue): two modalities (motion, colour) each show two stimulus inputs
 * 0.5 ± coh / 200 pointing to a choice, with independent directions and coherences; the context
 * cue says which modality to report; the other must be ignored.
 *
 * Periods (ms): fixation 300, stimulus 750, delay TruncExp(600, 300, 3000), decision 100.
 * Inputs: fixation (1 until the decision), modality 1 × 2, modality 2 × 2, context 1, context 2
 * (the cue is on for the whole trial). Outputs: fixation, choice 1, choice 2. Read-out: arg-max of
 * the choice outputs averaged over the decision period. Psychometric variable: signed coherence of
 * the relevant modality; `condition` also holds both modalities' signed coherences.
 *
 * @throws RangeError on bad options, naming the value
 * @example
 * const task = contextDecisionMaking();
 * const trial = trialSet(task, { seed: 3, count: 1 })[0];
 */
export function contextDecisionMaking(options: ContextDecisionMakingOptions = {}): TrialTask {
  const name = "context-dependent decision making";
  const cohs = requireNonNegativeList(name, "coherences", options.coherences ?? [5, 15, 50]);
  return defineTrialTask(
    {
      name,
      inputNames: ["fixation", "modality 1 choice 1", "modality 1 choice 2", "modality 2 choice 1", "modality 2 choice 2", "context 1", "context 2"],
      outputNames: ["fixation", "choice 1", "choice 2"],
      choiceNames: ["choice 1", "choice 2"],
      psychometricVariable: "signed coherence of the relevant modality (%)",
      periods: ["fixation", "stimulus", "delay", "decision"],
      defaultTiming: { fixation: 300, stimulus: 750, delay: periodDuration.truncatedExponential(600, 300, 3000), decision: 100 },
      decisionPeriod: "decision",
      readout: () => ({ kind: "argmax-mean", period: "decision", channels: [1, 2] }),
      fill(b, rng, ctx) {
        const choice = rng.integer(2);
        const other = rng.integer(2);
        const context = rng.integer(2);
        const coh1 = cohs[rng.integer(cohs.length)] as number;
        const coh2 = cohs[rng.integer(cohs.length)] as number;
        const dir1 = context === 0 ? choice : other;
        const dir2 = context === 0 ? other : choice;
        b.inputUntil(0, 1, "decision");
        b.input(1 + dir1, 0.5 + coh1 / 200, "stimulus");
        b.input(2 - dir1, 0.5 - coh1 / 200, "stimulus");
        b.input(3 + dir2, 0.5 + coh2 / 200, "stimulus");
        b.input(4 - dir2, 0.5 - coh2 / 200, "stimulus");
        b.input(5 + context, 1);
        b.noise([1, 2, 3, 4], ["stimulus"], ctx.noiseStd, rng);
        b.choiceTargets("decision", 1 + choice);
        const signed1 = signOf(dir1) * coh1;
        const signed2 = signOf(dir2) * coh2;
        return {
          condition: { context, coherence1: coh1, coherence2: coh2, direction1: dir1, direction2: dir2, signedCoherence1: signed1, signedCoherence2: signed2 },
          choice,
          psychometric: context === 0 ? signed1 : signed2,
        };
      },
    },
    options,
  );
}
