import { createRandomSource, deriveSeed } from "@dale-nn/ei-init";
import { formatValue, requireIntegerInRange } from "./internal/validate.js";
import type { SplitView } from "./split-view.js";

/** Options for {@link iterateBatches}. */
export interface IterateBatchesOptions {
  /** Rows per batch, an integer >= 1. */
  readonly batchSize: number;
  /** A non-negative integer; required when `shuffle` is true (randomness is explicit in dale-nn). */
  readonly seed?: number;
  /** The epoch number, an integer >= 0 (default 0); each epoch has its own order. */
  readonly epoch?: number;
  /** Visit the rows in a seeded random order (default true) or in the view's order. */
  readonly shuffle?: boolean;
  /** Skip a last batch smaller than `batchSize` (default false). */
  readonly dropRemainder?: boolean;
}

/**
 * One mini-batch. `x` and `labels` are the SAME buffers on every iteration of one
 * {@link iterateBatches} call: copy them or upload them (e.g. `tf.tensor2d(x, [batchSize,
 * features])`) before asking for the next batch.
 */
export interface Batch {
  /** Pixels, [batchSize, features] row-major; rows at and after `size` are zero. Reused across batches. */
  readonly x: Float32Array;
  /** Class labels, [batchSize]; entries at and after `size` are -1. Reused across batches. */
  readonly labels: Int32Array;
  /** Targets, [batchSize, targetSize], when the split has `targets` (regression). Reused across batches. */
  readonly targets?: Float32Array;
  /** Rows filled: `batchSize`, or fewer for a last partial batch. */
  readonly size: number;
  /** The rows of `view.split` in this batch (a view of the epoch's order, not reused; length `size`). */
  readonly indices: Int32Array;
  /** The batch's position in the epoch, from 0. */
  readonly batch: number;
}

/**
 * The number of batches one epoch over `view` has.
 *
 * @param view - anything with a row count (a {@link SplitView} or an `ImageSplit`)
 * @param batchSize - rows per batch, an integer >= 1
 * @param dropRemainder - count a last partial batch (false, the default: ceil) or not (true: floor)
 * @returns ceil(count / batchSize), or floor(count / batchSize) when `dropRemainder`
 * @throws RangeError naming `batchSize` when it is not an integer >= 1
 * @example
 * batchCount(fullView(train), 32); // 1875 for 60,000 rows
 */
export function batchCount(view: { readonly count: number }, batchSize: number, dropRemainder = false): number {
  requireIntegerInRange("batchCount", "batchSize", batchSize, 1);
  return dropRemainder ? Math.floor(view.count / batchSize) : Math.ceil(view.count / batchSize);
}

/**
 * The order in which {@link iterateBatches} visits a view's rows in one epoch, as positions into
 * `view.indices` mapped to rows of `view.split`. With shuffling, a Fisher-Yates permutation driven
 * by `createRandomSource(deriveSeed(seed, "batches", epoch))`: deterministic for (seed, epoch) and
 * different between epochs.
 *
 * @param view - the rows to visit
 * @param options - `seed`, `epoch` and `shuffle` as in {@link iterateBatches}
 * @returns a new array of the view's row indices in visiting order
 * @throws RangeError naming the value on a missing or invalid seed or epoch
 * @example
 * const order = epochOrder(view, { seed: 1, epoch: 3 });
 */
export function epochOrder(view: SplitView, options: Pick<IterateBatchesOptions, "seed" | "epoch" | "shuffle">): Int32Array {
  return shuffledOrder(view, options, "epochOrder");
}

function shuffledOrder(view: SplitView, options: Pick<IterateBatchesOptions, "seed" | "epoch" | "shuffle">, context: string): Int32Array {
  const { seed, epoch = 0, shuffle = true } = options ?? {};
  requireIntegerInRange(context, "epoch", epoch, 0);
  const order = view.indices.slice(0, view.count);
  if (!shuffle) return order;
  if (seed === undefined) {
    throw new RangeError(`${context}: a seed is required when shuffle is true (randomness is explicit in dale-nn); got undefined`);
  }
  requireIntegerInRange(context, "seed", seed, 0);
  const rng = createRandomSource(deriveSeed(seed, "batches", epoch));
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.integer(i + 1);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  return order;
}

/**
 * Iterates one epoch of mini-batches over a view, gathering rows into ONE pair of buffers that is
 * reused for every batch: no copy of the dataset is made, and the only allocations are the
 * epoch's order (count int32) and the two batch buffers.
 *
 * The consumer must copy `x` / `labels` or upload them (to a tensor) before the next iteration;
 * afterwards they hold the next batch. Rows past `size` in a last partial batch are zero (labels
 * -1); pass `x.subarray(0, size * features)` to use only the filled rows.
 *
 * Arguments are checked when `iterateBatches` is called, not on the first `next()`.
 *
 * @param view - the rows to visit (see `fullView`, `trainValidationSplit`, `subsetView`)
 * @param options - `batchSize`, `seed` (required when shuffling), `epoch` (default 0), `shuffle` (default true), `dropRemainder` (default false)
 * @returns an iterator over {@link batchCount}(view, batchSize, dropRemainder) batches
 * @throws RangeError naming the value on an invalid batchSize, seed or epoch, or a view index outside the split
 * @example
 * for (let epoch = 0; epoch < 10; epoch++) {
 *   for (const { x, labels, size } of iterateBatches(train, { batchSize: 32, seed: 0, epoch })) {
 *     const xs = tf.tensor2d(x.subarray(0, size * features), [size, features]); // copies: safe
 *     // ...
 *   }
 * }
 */
export function iterateBatches(view: SplitView, options: IterateBatchesOptions): IterableIterator<Batch> {
  const { batchSize, dropRemainder = false } = options ?? ({} as IterateBatchesOptions);
  requireIntegerInRange("iterateBatches", "batchSize", batchSize, 1);
  const { split } = view;
  const { features, images, labels } = split;
  for (let i = 0; i < view.count; i++) {
    const row = view.indices[i];
    if (row === undefined || row < 0 || row >= split.count) {
      throw new RangeError(`iterateBatches: view.indices[${i}] = ${formatValue(row)} is outside the split's rows [0, ${split.count})`);
    }
  }
  const order = shuffledOrder(view, options, "iterateBatches");
  const batches = batchCount(view, batchSize, dropRemainder);
  const x = new Float32Array(batchSize * features);
  const y = new Int32Array(batchSize);
  const targetSize = split.targets ? (split.targetSize ?? 1) : 0;
  const targets = split.targets;
  const t = targets ? new Float32Array(batchSize * targetSize) : undefined;
  return (function* () {
    for (let b = 0; b < batches; b++) {
      const start = b * batchSize;
      const size = Math.min(batchSize, order.length - start);
      for (let j = 0; j < size; j++) {
        const row = order[start + j] as number;
        x.set(images.subarray(row * features, (row + 1) * features), j * features);
        y[j] = labels[row] as number;
        if (t && targets) t.set(targets.subarray(row * targetSize, (row + 1) * targetSize), j * targetSize);
      }
      if (size < batchSize) {
        x.fill(0, size * features);
        y.fill(-1, size);
        t?.fill(0, size * targetSize);
      }
      yield { x, labels: y, ...(t ? { targets: t } : {}), size, indices: order.subarray(start, start + size), batch: b };
    }
  })();
}
