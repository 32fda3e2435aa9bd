import { isDecisionCorrect, readDecision } from "./decision-readout.js";
import type { Trial } from "./trial.js";
import type { TrialTask } from "./trial-task.js";

/** What {@link scoreTrials} returns. */
export interface TrialScores {
  /** Fraction of trials decided correctly. */
  readonly accuracy: number;
  /** Per trial: the read-out's decision (choice index, or produced interval in ms / NaN). */
  readonly decisions: number[];
  readonly correct: boolean[];
}

/**
 * Decisions and accuracy of a set of trials through the task's own read-out:
 * accuracy = (1/N) Σ_n [isDecisionCorrect(readDecision(z_n), trial_n)].
 *
 * @param task - the task (its `readout`)
 * @param trials - the trials
 * @param outputs - per trial, the outputs [steps_n, nOut] row-major (e.g. from `unbatchOutputs`)
 * @throws RangeError when the counts differ or an output is too short
 * @example
 * const { accuracy } = scoreTrials(task, trials, unbatchOutputs(batch, z.dataSync()));
 */
export function scoreTrials(task: TrialTask, trials: readonly Trial[], outputs: readonly ArrayLike<number>[]): TrialScores {
  if (outputs.length !== trials.length) {
    throw new RangeError(`scoreTrials(${task.name}): got ${outputs.length} outputs for ${trials.length} trials; expected one per trial`);
  }
  if (trials.length === 0) throw new RangeError(`scoreTrials(${task.name}): got 0 trials; expected at least one`);
  const decisions: number[] = [];
  const correct: boolean[] = [];
  let hits = 0;
  trials.forEach((trial, i) => {
    const d = readDecision(task.readout, outputs[i] as ArrayLike<number>, trial);
    const ok = isDecisionCorrect(task.readout, d, trial);
    decisions.push(d);
    correct.push(ok);
    if (ok) hits++;
  });
  return { accuracy: hits / trials.length, decisions, correct };
}
