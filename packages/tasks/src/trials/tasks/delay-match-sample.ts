import { defineTrialTask } from "../internal/define-trial-task.js";
import type { TrialTask, TrialTaskOptions } from "../trial-task.js";

/**
 * Delayed match-to-sample (Miller et al. 1996; neurogym `DelayMatchSample`, two stimulus
 * directions): a sample stimulus, a delay, a test stimulus that either matches the sample or is
 * the other one (equally likely); report match or non-match.
 *
 * Periods (ms): fixation 300, sample 500, delay 1000, test 500, decision 900. Inputs: fixation
 * (1 until the decision), stimulus 1, stimulus 2 (cos(θ_k − θ) · 0.5 + 0.5 for θ ∈ {0, π}, i.e.
 * one-hot). Outputs: fixation, match, non-match. Read-out: arg-max of match / non-match averaged
 * over the decision period. Psychometric variable: +1 match, −1 non-match.
 *
 * @throws RangeError on bad options, naming the value
 * @example
 * const trials = trialSet(delayMatchSample(), { seed: 0, count: 100 });
 */
export function delayMatchSample(options: TrialTaskOptions = {}): TrialTask {
  return defineTrialTask(
    {
      name: "delayed match-to-sample",
      inputNames: ["fixation", "stimulus 1", "stimulus 2"],
      outputNames: ["fixation", "match", "non-match"],
      choiceNames: ["match", "non-match"],
      psychometricVariable: "match (+1) / non-match (−1)",
      periods: ["fixation", "sample", "delay", "test", "decision"],
      defaultTiming: { fixation: 300, sample: 500, delay: 1000, test: 500, decision: 900 },
      decisionPeriod: "decision",
      readout: () => ({ kind: "argmax-mean", period: "decision", channels: [1, 2] }),
      fill(b, rng, ctx) {
        const choice = rng.integer(2); // 0 = match, 1 = non-match
        const sample = rng.integer(2);
        const test = choice === 0 ? sample : 1 - sample;
        b.inputUntil(0, 1, "decision");
        b.input(1 + sample, 1, "sample");
        b.input(1 + test, 1, "test");
        b.noise([1, 2], ["sample", "test"], ctx.noiseStd, rng);
        b.choiceTargets("decision", 1 + choice);
        return { condition: { sample, test }, choice, psychometric: choice === 0 ? 1 : -1 };
      },
    },
    options,
  );
}
