import type { RandomSource } from "@dale-nn/ei-init";
import type { DecisionReadout } from "./decision-readout.js";
import type { PeriodDuration } from "./period-duration.js";
import type { TargetLevels, Trial } from "./trial.js";

/**
 * A trial-based cognitive task (the shape of PsychRNN's `Task` and neurogym's `TrialEnv`, made
 * seeded): a time step dt, named periods with their durations, inputs and outputs by name, a
 * decision read-out, and a sampler that draws one trial from a random source. `trialSet`,
 * `batchTrials`, `scoreTrials` and `trialTaskAdapter` work with any object of this shape, so a
 * user-written task plugs in the same way as the built-in ones.
 */
export interface TrialTask {
  readonly name: string;
  /** Time step in ms. */
  readonly dt: number;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Names of the read-out's choices (argmax-mean), or null for a timing task. */
  readonly choiceNames: readonly string[] | null;
  /** Period names in trial order. */
  readonly periodNames: readonly string[];
  /** The durations in use (defaults merged with the options), in ms. */
  readonly timing: Readonly<Record<string, PeriodDuration>>;
  /** The period whose outputs are read (and the only supervised one with `supervise: "decision"`). */
  readonly decisionPeriod: string;
  readonly readout: DecisionReadout;
  readonly targetLevels: TargetLevels;
  /** Name of `TrialMeta.psychometric`, e.g. "signed coherence (%)". */
  readonly psychometricVariable: string;
  /** The longest trial the timing allows, in steps (to pad batches to one fixed length). */
  readonly maxSteps: number;
  /** Draws the next trial from `rng` (deterministic given the stream); `index` is stored in its metadata. */
  sample(rng: RandomSource, index: number): Trial;
}

/** Options every built-in trial task takes. */
export interface TrialTaskOptions {
  /** Time step in ms (> 0); default 20 (nn-brain's EI_RNN, pycog's τ/5 with τ = 100 ms). neurogym defaults to 100. */
  dt?: number;
  /** Durations to replace, by period name, in ms (see `periodDuration`); unknown names are refused. */
  timing?: Readonly<Record<string, PeriodDuration>>;
  /** Target levels; default PsychRNN's hi 1.0 / lo 0.2. */
  targetLevels?: TargetLevels;
  /**
   * Input noise σ (neurogym's `sigma`): N(0, σ² / dt) is added to each stimulus input at each
   * step of the stimulus periods (dt in ms), drawn from the trial's seeded stream. Default 0
   * (clean inputs); neurogym uses 1.
   */
  inputNoise?: number;
  /**
   * Which steps the loss sees: "all" (default; the fixation output is trained before the decision,
   * as in neurogym's supervised datasets) or "decision" (only the decision period, as in PsychRNN's
   * delayed discrimination).
   */
  supervise?: "all" | "decision";
}
