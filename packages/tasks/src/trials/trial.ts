/** A period's place in a trial: steps [start, end) (multiply by dt for ms). */
export interface PeriodSpan {
  readonly start: number;
  readonly end: number;
}

/** Output levels of the targets (PsychRNN: hi 1.0, lo 0.2, the default here). */
export interface TargetLevels {
  readonly hi: number;
  readonly lo: number;
}

/** What a trial was, for analysis: its condition, its ground truth and its timeline. */
export interface TrialMeta {
  /** Position of the trial in its set. */
  readonly index: number;
  /** Period boundaries in steps, in trial order. */
  readonly periods: Readonly<Record<string, PeriodSpan>>;
  /** The condition values drawn for this trial (coherences, context, frequencies, intervals, ...). */
  readonly condition: Readonly<Record<string, number>>;
  /**
   * The correct choice: an index into the task's `choiceNames` (the read-out's channels), or null
   * for a timing task (ready-set-go), whose ground truth is `targetInterval`.
   */
  readonly choice: number | null;
  /** The task's psychometric variable (named by `TrialTask.psychometricVariable`), e.g. signed coherence. */
  readonly psychometric: number;
  /** Timing tasks: the interval to produce, in ms. */
  readonly targetInterval?: number;
}

/**
 * One trial: inputs u_t, targets z*_t and a loss mask m_t for t = 0 … steps − 1, each stored
 * row-major per step ([steps, nIn], [steps, nOut], [steps, nOut]).
 */
export interface Trial {
  readonly steps: number;
  readonly nIn: number;
  readonly nOut: number;
  /** [steps, nIn], row-major. */
  readonly inputs: Float32Array;
  /** [steps, nOut], row-major. */
  readonly targets: Float32Array;
  /** [steps, nOut], row-major: 1 where the output is trained, 0 where it is free. */
  readonly mask: Float32Array;
  readonly meta: TrialMeta;
}
