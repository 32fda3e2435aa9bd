import type { ImageSplit } from "./image-dataset.js";
import { formatValue, requireInteger } from "@dale-nn/core/validation";

/**
 * A selection of rows of an {@link ImageSplit}, held as row indices only: no pixels are copied.
 * Made by {@link fullView}, {@link subsetView} and `trainValidationSplit`, read by `iterateBatches`.
 */
export interface SplitView {
  /** The split the indices point into. */
  readonly split: ImageSplit;
  /** Row indices into `split`, each in [0, split.count). */
  readonly indices: Int32Array;
  /** The number of rows selected (= indices.length). */
  readonly count: number;
}

/**
 * A view of every row of `split`, in order.
 *
 * @param split - an image split
 * @returns a view with indices 0, 1, ..., split.count - 1
 * @throws TypeError when `split` is not an image split (no integer `count`)
 * @example
 * const test = fullView(loadMnist().test);
 */
export function fullView(split: ImageSplit): SplitView {
  if (split == null || typeof split !== "object" || !Number.isInteger(split.count) || split.count < 0) {
    throw new TypeError(`fullView: expected an ImageSplit with an integer count >= 0; got ${split == null ? String(split) : `count ${formatValue((split as ImageSplit).count)}`}`);
  }
  const indices = new Int32Array(split.count);
  for (let i = 0; i < indices.length; i++) indices[i] = i;
  return { split, indices, count: indices.length };
}

/**
 * The first `count` rows of a view (a shared subarray of its indices, no copy), for smoke runs and
 * quick profiles.
 *
 * @param view - a split view
 * @param count - how many rows to keep, an integer in [0, view.count]
 * @returns a view of `view`'s first `count` rows
 * @throws RangeError naming `count` and the allowed range
 * @example
 * const smoke = subsetView(fullView(train), 1000);
 */
export function subsetView(view: SplitView, count: number): SplitView {
  requireInteger("subsetView", "count", count, 0, view.count);
  return { split: view.split, indices: view.indices.subarray(0, count), count };
}
