import { readDecision } from "./decision-readout.js";
import { fmt } from "./internal/validate.js";
import type { Trial } from "./trial.js";
import type { TrialTask } from "./trial-task.js";

/** One stimulus variable of a task with the per-trial choices, ready for `psychometricLevels` and `fitPsychometric`. */
export interface PsychometricVariable {
  /** "psychometric" (the task's own variable), or for context-dependent tasks "relevant", "irrelevant", "modality m, context c". */
  readonly key: string;
  /** Axis label, e.g. "signed coherence (%)". */
  readonly name: string;
  /** Per trial used, the stimulus value x. */
  readonly stimulus: Float64Array;
  /** Per trial used, 1 when the decision was the counted choice, else 0. */
  readonly chose: Uint8Array;
  /** `meta.index` of the trials used (all of them, or those of one context). */
  readonly trialIndices: Int32Array;
}

/** What {@link psychometricChoices} returns. */
export interface PsychometricChoices {
  readonly task: string;
  /** Index (into `task.choiceNames`) of the counted choice. */
  readonly choice: number;
  readonly choiceName: string;
  /** Per trial, the read-out's decision (a choice index). */
  readonly decisions: readonly number[];
  readonly variables: readonly PsychometricVariable[];
}

/** Options of {@link psychometricChoices}. */
export interface PsychometricChoicesOptions {
  /**
   * The counted choice (an index into `task.choiceNames`); default: the choice that is correct on
   * most trials with a positive psychometric value (choice 1 for the signed-coherence tasks, "go"
   * for go / no-go, "f1 > f2" for delayed comparison), so the curves rise with x.
   */
  choice?: number;
}

const CONTEXT_KEYS = ["context", "signedCoherence1", "signedCoherence2"] as const;

/**
 * The (stimulus, choice) pairs of a decision task's natural stimulus variables, from a model's
 * outputs (read through the task's own read-out, as `scoreTrials` does) or from its decisions.
 *
 * Every argmax-mean task gives its `psychometricVariable` (`meta.psychometric`: signed coherence
 * for perceptual decision making, signed total coherence for multisensory integration, f1 − f2 for
 * delayed comparison, ±1 for go / no-go and match / non-match). A context-dependent task (trials whose
 * `condition` has `context`, `signedCoherence1`, `signedCoherence2`) also gives the irrelevant
 * modality's signed coherence and each modality in each context (Mante et al. 2013, Fig. 1c–f;
 * Song, Yang & Wang 2016, Fig. 3: a steep curve for the relevant modality, a flat one for the
 * irrelevant one).
 *
 * @param task - a task whose read-out is "argmax-mean"
 * @param trials - the trials
 * @param source - `{ outputs }`: per trial, the outputs [steps_n, nOut] row-major; or `{ decisions }`: per trial, the choice index
 * @param options - the counted choice (default inferred, see {@link PsychometricChoicesOptions})
 * @returns the counted choice, the decisions and one {@link PsychometricVariable} per variable
 * @throws RangeError for a first-crossing (timing) read-out, no trials, counts that differ, a decision
 *   that is not a choice index, or a counted choice out of range
 * @example
 * const { variables } = psychometricChoices(task, trials, { outputs: unbatchOutputs(batch, z.dataSync()) });
 * const fits = variables.map((v) => fitPsychometric(psychometricLevels(v.stimulus, v.chose)));
 */
export function psychometricChoices(
  task: TrialTask,
  trials: readonly Trial[],
  source: { readonly outputs: readonly ArrayLike<number>[] } | { readonly decisions: readonly number[] },
  options: PsychometricChoicesOptions = {},
): PsychometricChoices {
  const ctx = `psychometricChoices(${task.name})`;
  const readout = task.readout;
  if (readout.kind !== "argmax-mean") throw new RangeError(`${ctx}: needs an "argmax-mean" (choice) read-out; the task's read-out is "${readout.kind}"`);
  if (trials.length === 0) throw new RangeError(`${ctx}: got 0 trials; expected at least one`);
  const nChoices = readout.channels.length;
  let decisions: number[];
  if ("outputs" in source) {
    if (source.outputs.length !== trials.length) throw new RangeError(`${ctx}: got ${source.outputs.length} outputs for ${trials.length} trials; expected one per trial`);
    decisions = trials.map((t, i) => readDecision(readout, source.outputs[i] as ArrayLike<number>, t));
  } else {
    if (source.decisions.length !== trials.length) throw new RangeError(`${ctx}: got ${source.decisions.length} decisions for ${trials.length} trials; expected one per trial`);
    decisions = [...source.decisions];
    decisions.forEach((d, i) => {
      if (!Number.isInteger(d) || d < 0 || d >= nChoices) throw new RangeError(`${ctx}: decisions[${i}] must be a choice index in [0, ${nChoices}); got ${fmt(d)}`);
    });
  }
  let choice = options.choice;
  if (choice === undefined) {
    const votes = new Array<number>(nChoices).fill(0);
    for (const t of trials) if (t.meta.psychometric > 0 && t.meta.choice !== null) votes[t.meta.choice] = (votes[t.meta.choice] ?? 0) + 1;
    choice = votes.indexOf(Math.max(...votes));
  } else if (!Number.isInteger(choice) || choice < 0 || choice >= nChoices) {
    throw new RangeError(`${ctx}: choice must be a choice index in [0, ${nChoices}); got ${fmt(choice)}`);
  }
  const counted = choice;
  const variable = (key: string, name: string, use: (t: Trial) => boolean, x: (t: Trial) => number): PsychometricVariable => {
    const idx = trials.map((_, i) => i).filter((i) => use(trials[i] as Trial));
    return {
      key,
      name,
      stimulus: Float64Array.from(idx, (i) => x(trials[i] as Trial)),
      chose: Uint8Array.from(idx, (i) => (decisions[i] === counted ? 1 : 0)),
      trialIndices: Int32Array.from(idx, (i) => (trials[i] as Trial).meta.index),
    };
  };
  const all = (): boolean => true;
  const variables: PsychometricVariable[] = [];
  const contextual = trials.every((t) => CONTEXT_KEYS.every((k) => typeof t.meta.condition[k] === "number"));
  if (!contextual) {
    variables.push(variable("psychometric", task.psychometricVariable, all, (t) => t.meta.psychometric));
  } else {
    const c = (t: Trial, k: (typeof CONTEXT_KEYS)[number]): number => t.meta.condition[k] as number;
    variables.push(variable("relevant", task.psychometricVariable, all, (t) => t.meta.psychometric));
    variables.push(variable("irrelevant", "signed coherence of the irrelevant modality (%)", all, (t) => (c(t, "context") === 0 ? c(t, "signedCoherence2") : c(t, "signedCoherence1"))));
    for (const m of [1, 2] as const) {
      for (const k of [0, 1]) {
        variables.push(variable(`modality ${m}, context ${k + 1}`, `signed coherence of modality ${m} in context ${k + 1} (%)`, (t) => c(t, "context") === k, (t) => c(t, m === 1 ? "signedCoherence1" : "signedCoherence2")));
      }
    }
  }
  return { task: task.name, choice: counted, choiceName: task.choiceNames?.[counted] ?? `choice ${counted}`, decisions, variables };
}
