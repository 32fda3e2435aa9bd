import { fmt } from "./internal/validate.js";
import type { Trial } from "./trial.js";

/** Memory order of a padded batch: "batch-major" [batch, T, ·] (what tfjs recurrent layers take) or "time-major" [T, batch, ·]. */
export type BatchLayout = "batch-major" | "time-major";

/**
 * Trials of different lengths padded to one length T, with masks. Arrays are row-major in
 * `layout` order: batch-major inputs [size, T, nIn], targets / mask [size, T, nOut], stepMask
 * [size, T]; time-major swaps the first two axes. Padding steps hold zeros in every array, so
 * the loss mask is 0 there and `stepMask` (1 on real steps) marks the lengths.
 */
export interface TrialBatch {
  readonly layout: BatchLayout;
  readonly size: number;
  /** Padded length T. */
  readonly steps: number;
  readonly nIn: number;
  readonly nOut: number;
  readonly inputs: Float32Array;
  readonly targets: Float32Array;
  readonly mask: Float32Array;
  readonly stepMask: Float32Array;
  /** Real length of each trial. */
  readonly lengths: Int32Array;
}

/** Options of {@link batchTrials}. */
export interface BatchTrialsOptions {
  /** Default "batch-major" ([batch, T, nIn], a tfjs RNN's input). */
  layout?: BatchLayout;
  /** Pad to this many steps (>= the longest trial, e.g. `task.maxSteps` for a fixed-shape model); default the longest trial. */
  steps?: number;
}

/**
 * The row of (trial b, step t) in a padded batch: b · T + t (batch-major) or t · size + b
 * (time-major); multiply by the width (nIn or nOut) for the flat offset.
 *
 * @example
 * const first = batch.inputs[batchRow(batch.layout, batch.size, batch.steps, 0, 0) * batch.nIn];
 */
export function batchRow(layout: BatchLayout, size: number, steps: number, b: number, t: number): number {
  return layout === "batch-major" ? b * steps + t : t * size + b;
}

/**
 * Pads trials into one batch (see {@link TrialBatch}).
 *
 * @throws RangeError on an empty list, trials of different input / output widths, or `steps`
 * shorter than the longest trial
 * @example
 * const batch = batchTrials(trials.slice(0, 64)); // batch.inputs is [64, T, nIn]
 */
export function batchTrials(trials: readonly Trial[], options: BatchTrialsOptions = {}): TrialBatch {
  if (trials.length === 0) throw new RangeError("batchTrials: got 0 trials; expected at least one");
  const layout = options.layout ?? "batch-major";
  if (layout !== "batch-major" && layout !== "time-major") throw new RangeError(`batchTrials: layout must be "batch-major" or "time-major"; got ${fmt(layout)}`);
  const first = trials[0] as Trial;
  const { nIn, nOut } = first;
  let longest = 0;
  trials.forEach((tr, i) => {
    if (tr.nIn !== nIn || tr.nOut !== nOut) {
      throw new RangeError(`batchTrials: trial ${i} has nIn = ${tr.nIn}, nOut = ${tr.nOut}; expected ${nIn}, ${nOut} like trial 0`);
    }
    longest = Math.max(longest, tr.steps);
  });
  const T = options.steps ?? longest;
  if (!Number.isInteger(T) || T < longest) throw new RangeError(`batchTrials: steps must be an integer >= the longest trial (${longest}); got ${fmt(options.steps)}`);
  const B = trials.length;
  const inputs = new Float32Array(B * T * nIn);
  const targets = new Float32Array(B * T * nOut);
  const mask = new Float32Array(B * T * nOut);
  const stepMask = new Float32Array(B * T);
  const lengths = new Int32Array(B);
  trials.forEach((tr, b) => {
    lengths[b] = tr.steps;
    for (let t = 0; t < tr.steps; t++) {
      const row = batchRow(layout, B, T, b, t);
      inputs.set(tr.inputs.subarray(t * nIn, (t + 1) * nIn), row * nIn);
      targets.set(tr.targets.subarray(t * nOut, (t + 1) * nOut), row * nOut);
      mask.set(tr.mask.subarray(t * nOut, (t + 1) * nOut), row * nOut);
      stepMask[row] = 1;
    }
  });
  return { layout, size: B, steps: T, nIn, nOut, inputs, targets, mask, stepMask, lengths };
}

/**
 * Splits a padded batch's outputs ([size, T, nOut] or [T, size, nOut] as in `batch.layout`) into
 * one [steps_b, nOut] array per trial, dropping the padding.
 *
 * @throws RangeError when `outputs` does not hold size · T · nOut values
 * @example
 * const perTrial = unbatchOutputs(batch, model.predict(x).dataSync());
 */
export function unbatchOutputs(batch: TrialBatch, outputs: ArrayLike<number>, nOut = batch.nOut): Float32Array[] {
  const { size, steps, layout } = batch;
  if (outputs.length !== size * steps * nOut) {
    throw new RangeError(`unbatchOutputs: outputs hold ${outputs.length} values; expected size * T * nOut = ${size} * ${steps} * ${nOut} = ${size * steps * nOut}`);
  }
  const out: Float32Array[] = [];
  for (let b = 0; b < size; b++) {
    const L = batch.lengths[b] as number;
    const z = new Float32Array(L * nOut);
    for (let t = 0; t < L; t++) {
      const row = batchRow(layout, size, steps, b, t);
      for (let k = 0; k < nOut; k++) z[t * nOut + k] = outputs[row * nOut + k] as number;
    }
    out.push(z);
  }
  return out;
}
