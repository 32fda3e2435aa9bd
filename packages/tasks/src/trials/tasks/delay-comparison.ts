import { defineTrialTask } from "../internal/define-trial-task.js";
import { fmt } from "../internal/validate.js";
import type { TrialTask, TrialTaskOptions } from "../trial-task.js";

/** Options of {@link delayComparison}. */
export interface DelayComparisonOptions extends TrialTaskOptions {
  /**
   * Frequency pairs (Hz), each two different finite numbers > 0; each trial draws a pair and
   * which of the two comes first. Default (18, 10), (22, 14), (26, 18), (30, 22), (34, 26)
   * (Romo et al. 1999; neurogym and PsychRNN).
   */
  frequencyPairs?: ReadonlyArray<readonly [number, number]>;
}

/**
 * Delayed comparison of two vibrotactile frequencies (Romo et al. 1999; neurogym
 * `DelayComparison`, PsychRNN `DelayedDiscrimination`): f1, a delay, f2; report whether f1 > f2.
 *
 * Periods (ms): fixation 500, stimulus 1 500, delay 1000, stimulus 2 500, decision 100. Inputs:
 * fixation (1 until the decision), stimulus = (1 + (f − f_min)/(f_max − f_min)) / 2 ∈ [0.5, 1]
 * during each stimulus (neurogym's positive code). Outputs: fixation, "f1 > f2", "f1 < f2".
 * Read-out: arg-max of the two choice outputs averaged over the decision period. Psychometric
 * variable: f1 − f2 (Hz).
 *
 * @throws RangeError on bad options (a pair with equal or non-positive frequencies, ...), naming the value
 * @example
 * const trials = trialSet(delayComparison(), { seed: 2, count: 200 });
 */
export function delayComparison(options: DelayComparisonOptions = {}): TrialTask {
  const name = "delayed comparison";
  const pairs = options.frequencyPairs ?? [[18, 10], [22, 14], [26, 18], [30, 22], [34, 26]];
  if (!Array.isArray(pairs) || pairs.length === 0) throw new RangeError(`${name}: frequencyPairs must be a non-empty list of [f1, f2] pairs; got ${fmt(pairs)}`);
  pairs.forEach((p, i) => {
    const ok = Array.isArray(p) && p.length === 2 && p.every((f) => typeof f === "number" && Number.isFinite(f) && f > 0) && p[0] !== p[1];
    if (!ok) throw new RangeError(`${name}: frequencyPairs[${i}] must be two different finite frequencies > 0; got ${fmt(p)}`);
  });
  const all = pairs.flat();
  const fMin = Math.min(...all);
  const fMax = Math.max(...all);
  const code = (f: number): number => (1 + (f - fMin) / (fMax - fMin)) / 2;
  return defineTrialTask(
    {
      name,
      inputNames: ["fixation", "stimulus"],
      outputNames: ["fixation", "f1 > f2", "f1 < f2"],
      choiceNames: ["f1 > f2", "f1 < f2"],
      psychometricVariable: "f1 − f2 (Hz)",
      periods: ["fixation", "stimulus1", "delay", "stimulus2", "decision"],
      defaultTiming: { fixation: 500, stimulus1: 500, delay: 1000, stimulus2: 500, decision: 100 },
      decisionPeriod: "decision",
      readout: () => ({ kind: "argmax-mean", period: "decision", channels: [1, 2] }),
      fill(b, rng, ctx) {
        const pair = pairs[rng.integer(pairs.length)] as readonly [number, number];
        const swap = rng.integer(2) === 1;
        const f1 = swap ? pair[1] : pair[0];
        const f2 = swap ? pair[0] : pair[1];
        const choice = f1 > f2 ? 0 : 1;
        b.inputUntil(0, 1, "decision");
        b.input(1, code(f1), "stimulus1");
        b.input(1, code(f2), "stimulus2");
        b.noise([1], ["stimulus1", "stimulus2"], ctx.noiseStd, rng);
        b.choiceTargets("decision", 1 + choice);
        return { condition: { f1, f2 }, choice, psychometric: f1 - f2 };
      },
    },
    options,
  );
}
