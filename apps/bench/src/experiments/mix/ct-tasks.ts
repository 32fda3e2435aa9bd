import {
  contextDecisionMaking, delayComparison, delayMatchSample, goNoGo, multisensoryIntegration, perceptualDecisionMaking,
  type PeriodDuration, type TrialTask, type TrialTaskOptions,
} from "@dale-nn/tasks";

/** The tasks of `dale-bench mix` and `dale-bench task`: trial-based cognitive tasks and row-wise sequential MNIST. */
export type CtTaskName =
  | "perceptual-decision-making"
  | "context-decision-making"
  | "multisensory-integration"
  | "go-no-go"
  | "delay-match-sample"
  | "delay-comparison"
  | "seqmnist";

export const CT_TASKS: readonly CtTaskName[] = [
  "perceptual-decision-making",
  "context-decision-making",
  "multisensory-integration",
  "go-no-go",
  "delay-match-sample",
  "delay-comparison",
  "seqmnist",
];

/** The trial tasks (everything but sequential MNIST). */
export type CtTrialTaskName = Exclude<CtTaskName, "seqmnist">;

/** Short labels for tables and figures. */
export const CT_TASK_TITLES: Record<CtTaskName, string> = {
  "perceptual-decision-making": "Perceptual decision making",
  "context-decision-making": "Context-dependent decision making",
  "multisensory-integration": "Multisensory integration",
  "go-no-go": "Go / no-go",
  "delay-match-sample": "Delayed match-to-sample",
  "delay-comparison": "Delayed comparison (Romo)",
  seqmnist: "Row-wise sequential MNIST",
};

/** Whether a task's psychometric variable is graded (coherence, frequency difference), so a psychometric curve says something. */
export const CT_DECISION_TASKS: ReadonlySet<CtTaskName> = new Set(["perceptual-decision-making", "context-decision-making", "multisensory-integration", "delay-comparison"]);

/** Period durations (ms) that a profile replaces, by task: shortened stimuli keep the short profiles short. */
export type TimingOverrides = Partial<Record<CtTrialTaskName, Record<string, PeriodDuration>>>;

/**
 * The trial task of a name, at time step `dt` (ms), with the profile's timing overrides and input
 * noise σ (neurogym's convention, N(0, σ²/dt) on the stimulus inputs).
 *
 * @throws RangeError from the task on bad options (naming the value)
 */
export function makeTrialTask(name: CtTrialTaskName, o: { dt: number; inputNoise: number; timing?: TimingOverrides }): TrialTask {
  const options: TrialTaskOptions = { dt: o.dt, inputNoise: o.inputNoise, ...(o.timing?.[name] ? { timing: o.timing[name] } : {}) };
  switch (name) {
    case "perceptual-decision-making":
      return perceptualDecisionMaking(options);
    case "context-decision-making":
      return contextDecisionMaking(options);
    case "multisensory-integration":
      return multisensoryIntegration(options);
    case "go-no-go":
      return goNoGo(options);
    case "delay-match-sample":
      return delayMatchSample(options);
    case "delay-comparison":
      return delayComparison(options);
  }
}
