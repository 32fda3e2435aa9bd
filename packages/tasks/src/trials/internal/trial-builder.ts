import type { RandomSource } from "@dale-nn/ei-init";
import type { PeriodSpan, TargetLevels } from "../trial.js";

/** Fills one trial's arrays period by period (used by the task definitions; never re-exported). */
export class TrialBuilder {
  readonly inputs: Float32Array;
  readonly targets: Float32Array;
  readonly mask: Float32Array;

  constructor(
    readonly steps: number,
    readonly nIn: number,
    readonly nOut: number,
    readonly periods: Readonly<Record<string, PeriodSpan>>,
    readonly levels: TargetLevels,
    readonly context: string,
  ) {
    this.inputs = new Float32Array(steps * nIn);
    this.targets = new Float32Array(steps * nOut).fill(levels.lo);
    this.mask = new Float32Array(steps * nOut);
  }

  span(period: string): PeriodSpan {
    const p = this.periods[period];
    if (!p) throw new RangeError(`${this.context}: no period "${period}"; the trial has ${Object.keys(this.periods).join(", ")}`);
    return p;
  }

  private range(periods: string | readonly string[] | undefined, f: (t: number) => void): void {
    if (periods === undefined) {
      for (let t = 0; t < this.steps; t++) f(t);
      return;
    }
    for (const name of typeof periods === "string" ? [periods] : periods) {
      const { start, end } = this.span(name);
      for (let t = start; t < end; t++) f(t);
    }
  }

  /** Sets input `channel` to `value` over `periods` (all steps when omitted). */
  input(channel: number, value: number, periods?: string | readonly string[]): void {
    this.range(periods, (t) => (this.inputs[t * this.nIn + channel] = value));
  }

  /** Sets input `channel` to 1 on every step before `period` starts (the fixation cue). */
  inputUntil(channel: number, value: number, period: string): void {
    const end = this.span(period).start;
    for (let t = 0; t < end; t++) this.inputs[t * this.nIn + channel] = value;
  }

  /** Sets target `channel` to `value` on steps [from, to). */
  targetSteps(channel: number, value: number, from: number, to: number): void {
    for (let t = Math.max(0, from); t < Math.min(this.steps, to); t++) this.targets[t * this.nOut + channel] = value;
  }

  /**
   * The choice-task targets: output 0 (fixation) at hi before `decisionPeriod` and lo from then on;
   * output `channel` at hi during `decisionPeriod` (channel 0 keeps fixating: no-go). Others lo.
   */
  choiceTargets(decisionPeriod: string, channel: number): void {
    const { start, end } = this.span(decisionPeriod);
    this.targetSteps(0, this.levels.hi, 0, start);
    this.targetSteps(channel, this.levels.hi, start, end);
  }

  /** The loss mask: every step ("all") or only the steps of `decisionPeriod` ("decision"), all outputs. */
  supervise(mode: "all" | "decision", decisionPeriod: string): void {
    if (mode === "all") this.mask.fill(1);
    else {
      const { start, end } = this.span(decisionPeriod);
      this.mask.fill(1, start * this.nOut, end * this.nOut);
    }
  }

  /** Adds N(0, std²) to `channels` over `periods`, step-major then channel order. */
  noise(channels: readonly number[], periods: readonly string[], std: number, rng: RandomSource): void {
    if (std === 0) return;
    this.range(periods, (t) => {
      for (const c of channels) this.inputs[t * this.nIn + c] = (this.inputs[t * this.nIn + c] as number) + std * rng.normal();
    });
  }
}
