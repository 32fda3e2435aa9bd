import type { RandomSource } from "@dale-nn/ei-init";
import type { DecisionReadout } from "../decision-readout.js";
import { durationStepBounds, durationSteps, sampleDuration, type PeriodDuration } from "../period-duration.js";
import type { PeriodSpan, TargetLevels, Trial, TrialMeta } from "../trial.js";
import type { TrialTask, TrialTaskOptions } from "../trial-task.js";
import { TrialBuilder } from "./trial-builder.js";
import { fmt, requireNonNegative, requirePositive } from "./validate.js";

/** What a task's fill step learns about the run. */
export interface FillContext {
  readonly dt: number;
  readonly levels: TargetLevels;
  /** Per-step input noise std, inputNoise / sqrt(dt). */
  readonly noiseStd: number;
  readonly supervise: "all" | "decision";
}

/** A built-in task's definition. */
export interface TrialTaskSpec {
  readonly name: string;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly choiceNames: readonly string[] | null;
  readonly psychometricVariable: string;
  /** Sampled periods in trial order. */
  readonly periods: readonly string[];
  readonly defaultTiming: Readonly<Record<string, PeriodDuration>>;
  readonly decisionPeriod: string;
  readonly readout: (ctx: { dt: number; levels: TargetLevels }) => DecisionReadout;
  /** A period appended after the sampled ones whose length depends on them (ready-set-go's production). */
  readonly derivedPeriod?: {
    readonly name: string;
    steps(periods: Readonly<Record<string, PeriodSpan>>, dt: number): number;
    maxSteps(maxByPeriod: Readonly<Record<string, number>>, dt: number): number;
  };
  /** Draws the condition, fills inputs / targets / mask and returns the metadata. */
  fill(b: TrialBuilder, rng: RandomSource, ctx: FillContext): Omit<TrialMeta, "index" | "periods">;
}

/** Checks the common options and returns a {@link TrialTask} for a spec. */
export function defineTrialTask(spec: TrialTaskSpec, options: TrialTaskOptions = {}): TrialTask {
  const ctx = spec.name;
  const dt = requirePositive(ctx, "dt (ms)", options.dt ?? 20);
  const levels = options.targetLevels ?? { hi: 1, lo: 0.2 };
  if (!Number.isFinite(levels.hi) || !Number.isFinite(levels.lo) || !(levels.hi > levels.lo)) {
    throw new RangeError(`${ctx}: targetLevels must be finite with hi > lo; got ${fmt(levels)}`);
  }
  const inputNoise = requireNonNegative(ctx, "inputNoise", options.inputNoise ?? 0);
  const supervise = options.supervise ?? "all";
  if (supervise !== "all" && supervise !== "decision") throw new RangeError(`${ctx}: supervise must be "all" or "decision"; got ${fmt(supervise)}`);
  const timing: Record<string, PeriodDuration> = { ...spec.defaultTiming };
  for (const [name, d] of Object.entries(options.timing ?? {})) {
    if (!spec.periods.includes(name)) {
      throw new RangeError(`${ctx}: timing has an unknown period "${name}"; expected one of ${spec.periods.join(", ")}`);
    }
    timing[name] = d;
  }
  const maxByPeriod: Record<string, number> = {};
  let maxSteps = 0;
  for (const name of spec.periods) {
    const { max } = durationStepBounds(ctx, name, timing[name], dt);
    maxByPeriod[name] = max;
    maxSteps += max;
  }
  if (spec.derivedPeriod) maxSteps += spec.derivedPeriod.maxSteps(maxByPeriod, dt);
  const readout = spec.readout({ dt, levels });
  const fillContext: FillContext = { dt, levels, noiseStd: inputNoise / Math.sqrt(dt), supervise };
  const nIn = spec.inputNames.length;
  const nOut = spec.outputNames.length;
  const periodNames = spec.derivedPeriod ? [...spec.periods, spec.derivedPeriod.name] : [...spec.periods];

  return {
    name: spec.name,
    dt,
    inputNames: spec.inputNames,
    outputNames: spec.outputNames,
    choiceNames: spec.choiceNames,
    periodNames,
    timing,
    decisionPeriod: spec.decisionPeriod,
    readout,
    targetLevels: levels,
    psychometricVariable: spec.psychometricVariable,
    maxSteps,
    sample(rng: RandomSource, index: number): Trial {
      const periods: Record<string, PeriodSpan> = {};
      let t = 0;
      for (const name of spec.periods) {
        const steps = durationSteps(sampleDuration(timing[name] as PeriodDuration, rng), dt);
        periods[name] = { start: t, end: t + steps };
        t += steps;
      }
      if (spec.derivedPeriod) {
        const steps = spec.derivedPeriod.steps(periods, dt);
        periods[spec.derivedPeriod.name] = { start: t, end: t + steps };
        t += steps;
      }
      const b = new TrialBuilder(t, nIn, nOut, periods, levels, ctx);
      const meta = spec.fill(b, rng, fillContext);
      b.supervise(supervise, spec.decisionPeriod);
      return { steps: t, nIn, nOut, inputs: b.inputs, targets: b.targets, mask: b.mask, meta: { index, periods, ...meta } };
    },
  };
}

/** ±1 for a two-way choice: +1 for choice 0, −1 for choice 1. */
export const signOf = (choice: number): number => (choice === 0 ? 1 : -1);
