/** Test support for the trial tasks: hand-written policies and structure checks (never re-exported). */
import { expect } from "vitest";
import type { Trial } from "../trial.js";
import type { TrialTask } from "../trial-task.js";

/** Mean of input channel c over steps [start, end). */
export function meanInput(trial: Trial, c: number, period: string): number {
  const { start, end } = trial.meta.periods[period]!;
  let s = 0;
  for (let t = start; t < end; t++) s += trial.inputs[t * trial.nIn + c]!;
  return s / (end - start);
}

/**
 * A policy that fixates (output 0 hi) until the decision period and then drives output `channel`
 * hi, others lo: the outputs a perfect network would produce for that choice.
 */
export function respond(task: TrialTask, trial: Trial, channel: number): Float32Array {
  const { hi, lo } = task.targetLevels;
  const z = new Float32Array(trial.steps * trial.nOut).fill(lo);
  const { start, end } = trial.meta.periods[task.decisionPeriod]!;
  for (let t = 0; t < start; t++) z[t * trial.nOut] = hi;
  for (let t = start; t < end; t++) z[t * trial.nOut + channel] = hi;
  return z;
}

/** A policy that ignores the stimulus: every output `value` at every step. */
export function constantPolicy(trial: Trial, value = 0.5): Float32Array {
  return new Float32Array(trial.steps * trial.nOut).fill(value);
}

/** A seeded policy with random outputs (for checking the device read-out against the host one). */
export function randomPolicy(trial: Trial, seed: number): Float32Array {
  let s = (seed * 2654435761 + trial.meta.index * 40503) >>> 0;
  const z = new Float32Array(trial.steps * trial.nOut);
  for (let i = 0; i < z.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    z[i] = s / 2 ** 32;
  }
  return z;
}

/**
 * Structure every trial must have: arrays of the right length, contiguous periods covering the
 * trial in the task's order, targets only hi / lo, the mask 0 / 1 and 1 exactly on the supervised
 * steps, and the ground truth matching the targets in the decision period.
 */
export function expectWellFormed(task: TrialTask, trials: readonly Trial[], supervise: "all" | "decision" = "all"): void {
  const { hi, lo } = task.targetLevels;
  const nIn = task.inputNames.length;
  const nOut = task.outputNames.length;
  const problems: string[] = [];
  const check = (ok: boolean, what: string): void => {
    if (!ok && problems.length < 10) problems.push(what);
  };
  for (const tr of trials) {
    const id = `trial ${tr.meta.index}`;
    check(tr.nIn === nIn && tr.nOut === nOut, `${id}: widths`);
    check(tr.inputs.length === tr.steps * nIn && tr.targets.length === tr.steps * nOut && tr.mask.length === tr.steps * nOut, `${id}: lengths`);
    check(tr.steps <= task.maxSteps, `${id}: ${tr.steps} steps > maxSteps ${task.maxSteps}`);
    check(JSON.stringify(Object.keys(tr.meta.periods)) === JSON.stringify(task.periodNames), `${id}: period names`);
    let t = 0;
    for (const name of task.periodNames) {
      const p = tr.meta.periods[name]!;
      check(p.start === t && p.end > p.start, `${id}: period ${name} [${p.start}, ${p.end}) after ${t}`);
      t = p.end;
    }
    check(t === tr.steps, `${id}: periods end at ${t}, steps ${tr.steps}`);
    for (const v of tr.targets) check(v === Math.fround(hi) || v === Math.fround(lo), `${id}: target ${v}`);
    const d = tr.meta.periods[task.decisionPeriod]!;
    for (let s = 0; s < tr.steps; s++) {
      const supervised = supervise === "all" || (s >= d.start && s < d.end);
      for (let k = 0; k < nOut; k++) check(tr.mask[s * nOut + k] === (supervised ? 1 : 0), `${id}: mask at step ${s}, output ${k}`);
    }
    // The fixation input is on before the decision and off during it (ready-set-go: until production).
    check(tr.inputs[0] === 1 && tr.inputs[(d.start - 1) * nIn] === 1 && tr.inputs[d.start * nIn] === 0, `${id}: fixation input`);
    if (task.readout.kind === "argmax-mean") {
      check(tr.meta.choice === 0 || tr.meta.choice === 1, `${id}: choice ${tr.meta.choice}`);
      const want = task.readout.channels[tr.meta.choice!]!;
      for (let s = d.start; s < d.end; s++) {
        for (let k = 0; k < nOut; k++) check(tr.targets[s * nOut + k] === Math.fround(k === want ? hi : lo), `${id}: decision target at step ${s}, output ${k}`);
      }
      // Before the decision the network holds fixation.
      for (let s = 0; s < d.start; s++) check(tr.targets[s * nOut] === Math.fround(hi), `${id}: fixation target at step ${s}`);
    }
  }
  expect(problems).toEqual([]);
}

/** Fraction of trials with `meta.choice === c`. */
export function choiceFraction(trials: readonly Trial[], c: number): number {
  return trials.filter((t) => t.meta.choice === c).length / trials.length;
}
