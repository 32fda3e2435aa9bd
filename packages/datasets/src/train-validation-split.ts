import { createRandomSource, deriveSeed } from "@dale-nn/ei-init";
import type { ImageSplit } from "./image-dataset.js";
import { requireInteger } from "@dale-nn/core/validation";
import type { SplitView } from "./split-view.js";

/** Options for {@link trainValidationSplit}. */
export interface TrainValidationSplitOptions {
  /** Rows held out for validation; an integer in [0, split.count). Default 10,000 (as MNIST's 50k/10k). */
  readonly validationSize?: number;
  /** A non-negative integer; the same seed gives the same split. Required: randomness is explicit in dale-nn. */
  readonly seed: number;
}

/**
 * Splits a training set into training and validation views by a seeded random permutation of its
 * rows: the first `validationSize` permuted rows are the validation set, the rest the training set
 * (Cornford et al. 2021, Sec. 5.1, hold out 10,000 of MNIST's 60,000 training images). Each view's
 * indices are sorted ascending, so that unshuffled passes read memory in order; the views share
 * `split` and copy no pixels.
 *
 * The permutation is a Fisher-Yates shuffle driven by `createRandomSource(deriveSeed(seed,
 * "train-validation-split"))`, so it is the same on every platform for the same seed.
 *
 * @param split - the training split to divide
 * @param options - `validationSize` (default 10,000) and `seed`
 * @returns disjoint views whose union is every row of `split`
 * @throws RangeError naming the value when `validationSize` is not an integer in [0, split.count) or `seed` is not an integer >= 0
 * @example
 * const { train, validation } = trainValidationSplit(loadMnist().train, { seed: 0 }); // 50,000 / 10,000
 */
export function trainValidationSplit(split: ImageSplit, options: TrainValidationSplitOptions): { train: SplitView; validation: SplitView } {
  const { validationSize = 10_000, seed } = options ?? ({} as TrainValidationSplitOptions);
  const count = split.count;
  if (typeof validationSize !== "number" || !Number.isInteger(validationSize) || validationSize < 0 || validationSize >= count) {
    throw new RangeError(
      `trainValidationSplit: validationSize must be an integer in [0, ${count - 1}] (fewer than the split's ${count} rows); got ${String(validationSize)}`,
    );
  }
  if (seed === undefined) {
    throw new RangeError("trainValidationSplit: a seed is required (randomness is explicit in dale-nn); got undefined");
  }
  requireInteger("trainValidationSplit", "seed", seed, 0);
  const rng = createRandomSource(deriveSeed(seed, "train-validation-split"));
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  // Fisher-Yates: only the first validationSize positions need to be drawn.
  for (let i = 0; i < validationSize; i++) {
    const j = i + rng.integer(count - i);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  const validation = order.slice(0, validationSize).sort();
  const train = order.slice(validationSize).sort();
  return {
    train: { split, indices: train, count: train.length },
    validation: { split, indices: validation, count: validation.length },
  };
}
