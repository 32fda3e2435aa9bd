import { defineTrialTask } from "../internal/define-trial-task.js";
import type { TrialTask, TrialTaskOptions } from "../trial-task.js";

/**
 * Go / no-go (neurogym `GoNogo`): a go or a no-go stimulus, a delay, then a decision period in
 * which the network must respond on go trials and keep fixating on no-go trials.
 *
 * Periods (ms): fixation 100, stimulus 500, delay 500, decision 500 (neurogym's fixation is 0 ms,
 * i.e. absent; a zero-length period is refused here, and 100 ms gives a baseline before the
 * stimulus). Inputs: fixation (1 until the decision), no-go, go. Outputs: fixation, go; targets:
 * go trials switch from fixation (hi) to go (hi) at the decision, no-go trials keep fixation hi.
 * Read-out: arg-max of (fixation, go) averaged over the decision period, as neurogym's actions
 * (0 = fixate = no-go, 1 = go). Psychometric variable: +1 go, −1 no-go.
 *
 * @throws RangeError on bad options, naming the value
 * @example
 * const task = goNoGo({ dt: 10 });
 */
export function goNoGo(options: TrialTaskOptions = {}): TrialTask {
  return defineTrialTask(
    {
      name: "go / no-go",
      inputNames: ["fixation", "no-go", "go"],
      outputNames: ["fixation", "go"],
      choiceNames: ["no-go", "go"],
      psychometricVariable: "go (+1) / no-go (−1)",
      periods: ["fixation", "stimulus", "delay", "decision"],
      defaultTiming: { fixation: 100, stimulus: 500, delay: 500, decision: 500 },
      decisionPeriod: "decision",
      readout: () => ({ kind: "argmax-mean", period: "decision", channels: [0, 1] }),
      fill(b, rng, ctx) {
        const choice = rng.integer(2); // 0 = no-go, 1 = go
        b.inputUntil(0, 1, "decision");
        b.input(1 + choice, 1, "stimulus");
        b.noise([1, 2], ["stimulus"], ctx.noiseStd, rng);
        b.choiceTargets("decision", choice);
        return { condition: { go: choice }, choice, psychometric: choice === 1 ? 1 : -1 };
      },
    },
    options,
  );
}
