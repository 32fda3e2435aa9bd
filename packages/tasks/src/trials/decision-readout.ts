import type { Trial } from "./trial.js";

/**
 * How a network's outputs become a decision (one per trial), chosen per task as the anchors do:
 *
 * - `"argmax-mean"`: the choice k = argmax_k (1/|P|) Σ_{t∈P} z_t[channels[k]] over the read-out
 *   period P (PsychRNN's accuracy: the arg-max of the outputs averaged over the masked response
 *   period; neurogym's action during the decision period). Ties go to the first channel.
 * - `"first-crossing"`: the first step t_c at which z_t[channel] ≥ threshold; the decision is the
 *   produced interval (t_c − start(from)) · dt in ms (NaN when the output never crosses), correct
 *   when |produced − target| ≤ tolerance · target (ready-set-go, ±20 %; neurogym adds 25 ms).
 */
export type DecisionReadout =
  | { readonly kind: "argmax-mean"; readonly period: string; readonly channels: readonly number[] }
  | { readonly kind: "first-crossing"; readonly channel: number; readonly threshold: number; readonly from: string; readonly tolerance: number; readonly dt: number };

function span(trial: Trial, period: string): { start: number; end: number } {
  const p = trial.meta.periods[period];
  if (!p) throw new RangeError(`readDecision: trial ${trial.meta.index} has no period "${period}"; it has ${Object.keys(trial.meta.periods).join(", ")}`);
  return p;
}

function checkOutputs(outputs: ArrayLike<number>, trial: Trial): void {
  if (outputs.length < trial.steps * trial.nOut) {
    throw new RangeError(`readDecision: outputs hold ${outputs.length} values; expected steps * nOut = ${trial.steps} * ${trial.nOut} = ${trial.steps * trial.nOut}`);
  }
}

/**
 * The decision of one trial from its outputs, [steps, nOut] row-major (host-side, float64).
 *
 * @param readout - the task's read-out
 * @param outputs - the network's outputs for this trial (padding beyond `trial.steps` is ignored)
 * @param trial - the trial (its periods)
 * @returns the choice index (argmax-mean) or the produced interval in ms, NaN if none (first-crossing)
 * @throws RangeError when the outputs are too short or the trial lacks the read-out's period
 * @example
 * const k = readDecision(task.readout, outputsOfTrial, trial);
 */
export function readDecision(readout: DecisionReadout, outputs: ArrayLike<number>, trial: Trial): number {
  checkOutputs(outputs, trial);
  const nOut = trial.nOut;
  if (readout.kind === "argmax-mean") {
    const { start, end } = span(trial, readout.period);
    let best = 0;
    let bestValue = -Infinity;
    readout.channels.forEach((c, k) => {
      let s = 0;
      for (let t = start; t < end; t++) s += outputs[t * nOut + c] as number;
      const m = s / (end - start);
      if (m > bestValue) {
        bestValue = m;
        best = k;
      }
    });
    return best;
  }
  const { start } = span(trial, readout.from);
  for (let t = 0; t < trial.steps; t++) {
    if ((outputs[t * nOut + readout.channel] as number) >= readout.threshold) return (t - start) * readout.dt;
  }
  return Number.NaN;
}

/**
 * Whether a decision is correct: the choice equals `trial.meta.choice` (argmax-mean), or the
 * produced interval is within ±tolerance of `trial.meta.targetInterval` (first-crossing).
 *
 * @example
 * const ok = isDecisionCorrect(task.readout, readDecision(task.readout, z, trial), trial);
 */
export function isDecisionCorrect(readout: DecisionReadout, decision: number, trial: Trial): boolean {
  if (readout.kind === "argmax-mean") return decision === trial.meta.choice;
  const target = trial.meta.targetInterval;
  if (target === undefined) throw new RangeError(`isDecisionCorrect: trial ${trial.meta.index} has no targetInterval; a first-crossing read-out needs one`);
  return Number.isFinite(decision) && Math.abs(decision - target) <= readout.tolerance * target + 1e-9;
}

/**
 * The steps that matter to the read-out, [steps]: for argmax-mean, 1 on the averaging period; for
 * first-crossing, 1 on the steps where a first crossing counts as correct. The tensor error of
 * `trialTaskAdapter` uses it, so it agrees with {@link readDecision} and {@link isDecisionCorrect}.
 *
 * @param readout - the task's read-out
 * @param trial - the trial
 * @returns a 0 / 1 weight per step
 * @throws RangeError when the trial lacks the read-out's period or (first-crossing) a targetInterval
 * @example
 * const w = readoutWindow(task.readout, trial); // 1 on the decision period
 */
export function readoutWindow(readout: DecisionReadout, trial: Trial): Float32Array {
  const w = new Float32Array(trial.steps);
  if (readout.kind === "argmax-mean") {
    const { start, end } = span(trial, readout.period);
    w.fill(1, start, end);
    return w;
  }
  const { start } = span(trial, readout.from);
  const target = trial.meta.targetInterval;
  if (target === undefined) throw new RangeError(`readoutWindow: trial ${trial.meta.index} has no targetInterval; a first-crossing read-out needs one`);
  for (let t = 0; t < trial.steps; t++) {
    if (Math.abs((t - start) * readout.dt - target) <= readout.tolerance * target + 1e-9) w[t] = 1;
  }
  return w;
}
