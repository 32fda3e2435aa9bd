import { createRandomSource, deriveSeed } from "@dale-nn/ei-init";
import type { BatchTransform } from "./batch-transform.js";
import { formatValue, requireInteger } from "@dale-nn/core/validation";
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
  /**
   * A per-example transform applied in place to each batch's filled rows after gathering, e.g.
   * `cifarAugmentation` or `composeTransforms(cifarAugmentation, perImageStandardizationTransform)`.
   * A random one draws from `createRandomSource(deriveSeed(seed, "augment", epoch))` in batch
   * order, so (seed, epoch) fix every crop and flip, and it requires a seed even without shuffling.
   * The split's pixels are never changed: only the batch buffer is.
   */
  readonly augment?: BatchTransform;
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
  requireInteger("batchCount", "batchSize", batchSize, 1);
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
  requireInteger(context, "epoch", epoch, 0);
  const order = view.indices.slice(0, view.count);
  if (!shuffle) return order;
  if (seed === undefined) {
    throw new RangeError(`${context}: a seed is required when shuffle is true (randomness is explicit in dale-nn); got undefined`);
  }
  requireInteger(context, "seed", seed, 0);
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
 * With `augment`, each batch's filled rows are transformed in place before it is yielded (the
 * split's own pixels are untouched); the same (seed, epoch) give the same batches.
 *
 * Arguments are checked when `iterateBatches` is called, not on the first `next()`.
 *
 * @param view - the rows to visit (see `fullView`, `trainValidationSplit`, `subsetView`)
 * @param options - `batchSize`, `seed` (required when shuffling or augmenting randomly), `epoch` (default 0), `shuffle` (default true), `dropRemainder` (default false), `augment` (a {@link BatchTransform})
 * @returns an iterator over {@link batchCount}(view, batchSize, dropRemainder) batches
 * @throws RangeError naming the value on an invalid batchSize, seed or epoch, or a view index outside the split; from `augment.create` when the split lacks a shape the transform needs
 * @example
 * for (let epoch = 0; epoch < 10; epoch++) {
 *   for (const { x, labels, size } of iterateBatches(train, { batchSize: 32, seed: 0, epoch })) {
 *     const xs = tf.tensor2d(x.subarray(0, size * features), [size, features]); // copies: safe
 *     // ...
 *   }
 * }
 * // A conv net on CIFAR-10 (paper 002): augmented, standardised NHWC batches.
 * const augment = composeTransforms(cifarAugmentation, perImageStandardizationTransform);
 * for (const { x, size } of iterateBatches(fullView(cifar.train), { batchSize: 128, seed, epoch, augment })) {
 *   const xs = tf.tensor4d(x.subarray(0, size * 3072), [size, 32, 32, 3]);
 * }
 */
export function iterateBatches(view: SplitView, options: IterateBatchesOptions): IterableIterator<Batch> {
  const { batchSize, dropRemainder = false } = options ?? ({} as IterateBatchesOptions);
  requireInteger("iterateBatches", "batchSize", batchSize, 1);
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
  const { augment } = options;
  let transform: ((x: Float32Array, size: number) => void) | undefined;
  if (augment !== undefined) {
    if (augment === null || typeof augment.create !== "function") {
      throw new TypeError(`iterateBatches: augment must be a BatchTransform (with a create function); got ${formatValue(augment)}`);
    }
    const { seed, epoch = 0 } = options;
    if (augment.random && seed === undefined) {
      throw new RangeError(`iterateBatches: augment ${JSON.stringify(augment.name)} is random and needs a seed (randomness is explicit in dale-nn); got undefined`);
    }
    const apply = augment.create(split.shape, features, batchSize);
    const rng = augment.random ? createRandomSource(deriveSeed(requireInteger("iterateBatches", "seed", seed, 0), "augment", epoch)) : undefined;
    transform = (x, size) => apply(x, size, rng);
  }
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
      transform?.(x, size);
      yield { x, labels: y, ...(t ? { targets: t } : {}), size, indices: order.subarray(start, start + size), batch: b };
    }
  })();
}
