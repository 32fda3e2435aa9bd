import type { RandomSource } from "@dale-nn/ei-init";
import { fmt } from "./internal/validate.js";

/**
 * How long a trial period lasts, in milliseconds (neurogym's `timing` values):
 * - a number: fixed;
 * - `{ kind: "uniform", min, max }`: U(min, max);
 * - `{ kind: "choice", values }`: one of `values`, equally likely;
 * - `{ kind: "truncated-exponential", mean, min, max }`: an Exponential(mean) draw redrawn until it
 *   lies in [min, max] (neurogym's `TruncExp(mean, min, max)`, a rejection sampler, not a shifted
 *   exponential).
 *
 * Every draw is then quantised to whole steps of dt (see {@link durationSteps}).
 */
export type PeriodDuration =
  | number
  | { readonly kind: "uniform"; readonly min: number; readonly max: number }
  | { readonly kind: "choice"; readonly values: readonly number[] }
  | { readonly kind: "truncated-exponential"; readonly mean: number; readonly min: number; readonly max: number };

/**
 * Constructors of {@link PeriodDuration} values, in milliseconds.
 *
 * @example
 * const timing = { fixation: 300, stimulus: 750, delay: periodDuration.truncatedExponential(600, 300, 3000), decision: 100 };
 */
export const periodDuration = {
  /** A fixed duration (the same as the plain number). */
  fixed: (ms: number): PeriodDuration => ms,
  /** U(min, max) ms. */
  uniform: (min: number, max: number): PeriodDuration => ({ kind: "uniform", min, max }),
  /** One of `values` ms, equally likely. */
  choice: (values: readonly number[]): PeriodDuration => ({ kind: "choice", values: [...values] }),
  /** Exponential(mean) redrawn until it lies in [min, max] ms (neurogym `TruncExp`). */
  truncatedExponential: (mean: number, min: number, max: number): PeriodDuration => ({ kind: "truncated-exponential", mean, min, max }),
} as const;

/**
 * The number of dt steps of a duration: round(ms / dt), to the nearest step (neurogym floors,
 * t // dt · dt; rounding keeps the mean of a continuous draw unbiased).
 *
 * @param ms - duration in ms
 * @param dt - time step in ms
 * @returns whole steps (0 for ms < dt / 2)
 * @example
 * durationSteps(83, 20); // 4
 */
export function durationSteps(ms: number, dt: number): number {
  return Math.round(ms / dt);
}

const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/**
 * Checks a period's duration and returns the fewest and most steps it can take at `dt`.
 *
 * @param context - the caller, for the message (e.g. the task name)
 * @param period - the period's name, for the message
 * @param d - the duration to check (any value: it is validated)
 * @param dt - time step in ms
 * @returns `{ min, max }` steps
 * @example
 * durationStepBounds("my task", "delay", periodDuration.truncatedExponential(600, 300, 3000), 20); // { min: 15, max: 150 }
 * @throws RangeError naming the period and the value when the duration is malformed or can be
 * shorter than one step (a zero-length period)
 */
export function durationStepBounds(context: string, period: string, d: unknown, dt: number): { min: number; max: number } {
  const bad = (what: string): never => {
    throw new RangeError(`${context}: period "${period}" ${what}; got ${fmt(d)}`);
  };
  let lo: number;
  let hi: number;
  if (typeof d === "number") {
    if (!finite(d) || d < 0) bad("must last a finite number of ms >= 0");
    lo = hi = d;
  } else if (d !== null && typeof d === "object" && "kind" in d) {
    const o = d as { kind: unknown; min?: unknown; max?: unknown; mean?: unknown; values?: unknown };
    if (o.kind === "uniform") {
      if (!finite(o.min) || !finite(o.max) || o.min < 0 || o.max < o.min) bad("uniform(min, max) needs finite 0 <= min <= max");
      lo = o.min as number;
      hi = o.max as number;
    } else if (o.kind === "choice") {
      if (!Array.isArray(o.values) || o.values.length === 0 || !o.values.every((v) => finite(v) && v >= 0)) {
        bad("choice(values) needs a non-empty list of finite durations >= 0");
      }
      const values = o.values as number[];
      lo = Math.min(...values);
      hi = Math.max(...values);
    } else if (o.kind === "truncated-exponential") {
      if (!finite(o.mean) || o.mean <= 0 || !finite(o.min) || !finite(o.max) || o.min < 0 || o.max <= o.min) {
        bad("truncatedExponential(mean, min, max) needs finite mean > 0 and 0 <= min < max");
      }
      lo = o.min as number;
      hi = o.max as number;
    } else {
      return bad(`has an unknown duration kind ${fmt(o.kind)}; expected "uniform", "choice" or "truncated-exponential"`);
    }
  } else {
    return bad("must be a number of ms or a uniform / choice / truncated-exponential duration");
  }
  const min = durationSteps(lo, dt);
  if (min < 1) {
    throw new RangeError(
      `${context}: period "${period}" can last ${fmt(lo)} ms, which is ${min} steps at dt = ${dt} ms (a zero-length period); expected at least one step (>= ${dt / 2} ms)`,
    );
  }
  return { min, max: durationSteps(hi, dt) };
}

/**
 * Draws a duration in ms (before quantisation) from a checked {@link PeriodDuration}: one uniform
 * draw for uniform, choice and truncated exponential alike, so a trial consumes the same amount of
 * the stream whatever the draw. The truncated exponential is drawn by its inverse CDF,
 * x = min − mean · ln(1 − U (1 − e^{−(max − min)/mean})).
 *
 * @param d - a duration accepted by {@link durationStepBounds}
 * @param rng - the trial's random source (one uniform draw is consumed, none for a fixed duration)
 * @returns the duration in ms
 * @example
 * const ms = sampleDuration(periodDuration.uniform(800, 1500), createRandomSource(0));
 */
export function sampleDuration(d: PeriodDuration, rng: RandomSource): number {
  if (typeof d === "number") return d;
  switch (d.kind) {
    case "uniform":
      return d.min + (d.max - d.min) * rng.uniform();
    case "choice":
      return d.values[rng.integer(d.values.length)] as number;
    case "truncated-exponential": {
      // Inverse CDF of Exp(mean) conditioned on [min, max]: min + Exp(mean) truncated to
      // [0, max - min] (memorylessness); the same law as neurogym's rejection loop in one draw.
      const span = 1 - Math.exp(-(d.max - d.min) / d.mean);
      return d.min - d.mean * Math.log(1 - rng.uniform() * span);
    }
  }
}
