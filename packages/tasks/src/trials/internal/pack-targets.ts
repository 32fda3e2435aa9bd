import { readoutWindow } from "../decision-readout.js";
import type { Trial } from "../trial.js";
import type { TrialTask } from "../trial-task.js";

/**
 * Packed target width P = 2·nOut + 2: per step [targets (nOut) | mask (nOut) | read-out window | truth],
 * where truth is the correct choice index (argmax-mean read-out) or 0 (first-crossing).
 */
export const packedWidth = (nOut: number): number => 2 * nOut + 2;

/** Writes batch-major inputs [size, T, nIn] and packed targets [size, T, P] (padding zero). */
export function packTrials(task: TrialTask, trials: readonly Trial[], T: number): { x: Float32Array; targets: Float32Array } {
  const nIn = task.inputNames.length;
  const nOut = task.outputNames.length;
  const P = packedWidth(nOut);
  const x = new Float32Array(trials.length * T * nIn);
  const targets = new Float32Array(trials.length * T * P);
  trials.forEach((tr, b) => {
    x.set(tr.inputs, b * T * nIn);
    const w = readoutWindow(task.readout, tr);
    const truth = tr.meta.choice ?? 0;
    for (let t = 0; t < tr.steps; t++) {
      const o = (b * T + t) * P;
      targets.set(tr.targets.subarray(t * nOut, (t + 1) * nOut), o);
      targets.set(tr.mask.subarray(t * nOut, (t + 1) * nOut), o + nOut);
      targets[o + 2 * nOut] = w[t] as number;
      targets[o + 2 * nOut + 1] = truth;
    }
    // Padding steps carry the truth too, so the per-trial value can be read from any step.
    for (let t = tr.steps; t < T; t++) targets[(b * T + t) * P + 2 * nOut + 1] = truth;
  });
  return { x, targets };
}
