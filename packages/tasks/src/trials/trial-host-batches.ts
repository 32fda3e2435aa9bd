import type { HostBatch } from "../task.js";
import { packTrials } from "./internal/pack-targets.js";
import { fmt, requireCount } from "./internal/validate.js";
import type { Trial } from "./trial.js";
import type { TrialTask } from "./trial-task.js";

/** Options of {@link trialHostBatches}. */
export interface TrialHostBatchesOptions {
  /** Trials per batch (>= 1); the last batch may be smaller. */
  batchSize: number;
  /**
   * Padded length of each batch: "batch" (default) pads to the batch's longest trial (a model
   * with input shape [null, nIn] takes any T); "task" pads every batch to `task.maxSteps` (for a
   * model with a fixed input shape); a number pads to that many steps.
   */
  padTo?: "batch" | "task" | number;
}

/**
 * Host batches for `trialTaskAdapter(task)` and the `@dale-nn/train` loop: `x` holds batch-major
 * inputs [size, T, nIn], `targets` the packed targets [size, T, 2·nOut + 2] (targets | mask |
 * read-out window | truth), `steps` = T. Trials keep their order; shuffle by drawing a new
 * `trialSet` per epoch.
 *
 * @throws RangeError on a bad batch size, an empty list, or `padTo` shorter than a trial
 * @example
 * const batches = trialHostBatches(task, trialSet(task, { seed: epoch, count: 640 }), { batchSize: 64 });
 */
export function trialHostBatches(task: TrialTask, trials: readonly Trial[], options: TrialHostBatchesOptions): HostBatch[] {
  const batchSize = requireCount(`trialHostBatches(${task.name})`, "batchSize", options.batchSize);
  if (trials.length === 0) throw new RangeError(`trialHostBatches(${task.name}): got 0 trials; expected at least one`);
  const padTo = options.padTo ?? "batch";
  const out: HostBatch[] = [];
  for (let i = 0; i < trials.length; i += batchSize) {
    const chunk = trials.slice(i, i + batchSize);
    const longest = Math.max(...chunk.map((t) => t.steps));
    const T = padTo === "batch" ? longest : padTo === "task" ? task.maxSteps : padTo;
    if (!Number.isInteger(T) || T < longest) {
      throw new RangeError(`trialHostBatches(${task.name}): padTo ${fmt(padTo)} gives ${T} steps; expected an integer >= the longest trial (${longest})`);
    }
    const { x, targets } = packTrials(task, chunk, T);
    out.push({ x, targets, size: chunk.length, steps: T });
  }
  return out;
}
