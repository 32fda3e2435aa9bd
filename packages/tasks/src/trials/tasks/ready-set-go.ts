import { periodDuration } from "../period-duration.js";
import { defineTrialTask } from "../internal/define-trial-task.js";
import { fmt, requirePositive } from "../internal/validate.js";
import type { TrialTask, TrialTaskOptions } from "../trial-task.js";

/** Options of {@link readySetGo}. */
export interface ReadySetGoOptions extends TrialTaskOptions {
  /** Produced interval = gain × measured interval; default 1 (neurogym). */
  gain?: number;
  /** A response is correct within ±tolerance × target; default 0.2 (neurogym's `prod_margin`; it adds 25 ms). */
  tolerance?: number;
}

/**
 * Interval reproduction, ready-set-go (Jazayeri & Shadlen 2010, Sohn et al. 2019; neurogym
 * `ReadySetGo`): a ready pulse and a set pulse separated by the interval t_s; the network must
 * respond ("go") gain · t_s after the set cue.
 *
 * Periods (ms): fixation 100, ready 83, measure U(800, 1500), set 83, then production lasting
 * 2 · gain · t_s (t_s = the quantised measure period). Inputs: fixation (1 until production),
 * ready, set (`inputNoise` is added to ready and set on every step). Outputs: fixation, go; the go target is lo until t_go = start(set) + gain · t_s and hi
 * from then on (a step; the fixation target the reverse). Read-out: the first step at which the go
 * output reaches (hi + lo) / 2; the decision is the produced interval from the set cue's onset
 * (neurogym measures from the end of the measure period, the same instant), correct within
 * ±tolerance · gain · t_s. Psychometric variable: the target interval gain · t_s (ms), also
 * `meta.targetInterval`.
 *
 * @throws RangeError on bad options (gain <= 0, tolerance outside (0, 1), ...), naming the value
 * @example
 * const task = readySetGo({ dt: 20 });
 */
export function readySetGo(options: ReadySetGoOptions = {}): TrialTask {
  const name = "ready-set-go";
  const gain = requirePositive(name, "gain", options.gain ?? 1);
  const tolerance = options.tolerance ?? 0.2;
  if (typeof tolerance !== "number" || !(tolerance > 0 && tolerance < 1)) throw new RangeError(`${name}: tolerance must be in (0, 1); got ${fmt(tolerance)}`);
  return defineTrialTask(
    {
      name,
      inputNames: ["fixation", "ready", "set"],
      outputNames: ["fixation", "go"],
      choiceNames: null,
      psychometricVariable: "target interval (ms)",
      periods: ["fixation", "ready", "measure", "set"],
      defaultTiming: { fixation: 100, ready: 83, measure: periodDuration.uniform(800, 1500), set: 83 },
      decisionPeriod: "production",
      derivedPeriod: {
        name: "production",
        steps: (p, dt) => Math.max(1, Math.round((2 * gain * ((p.measure!.end - p.measure!.start) * dt)) / dt)),
        maxSteps: (max) => Math.max(1, Math.round(2 * gain * (max.measure as number))),
      },
      readout: ({ dt, levels }) => ({ kind: "first-crossing", channel: 1, threshold: Math.fround((levels.hi + levels.lo) / 2), from: "set", tolerance, dt }),
      fill(b, rng, ctx) {
        const measure = b.span("measure");
        const set = b.span("set");
        const measured = (measure.end - measure.start) * ctx.dt;
        const target = gain * measured;
        const tGo = set.start + Math.round(target / ctx.dt);
        b.inputUntil(0, 1, "production");
        b.input(1, 1, "ready");
        b.input(2, 1, "set");
        b.noise([1, 2], ["fixation", "ready", "measure", "set", "production"], ctx.noiseStd, rng);
        b.targetSteps(0, ctx.levels.hi, 0, tGo);
        b.targetSteps(1, ctx.levels.hi, tGo, b.steps);
        return { condition: { measure: measured, gain }, choice: null, psychometric: target, targetInterval: target };
      },
    },
    options,
  );
}
