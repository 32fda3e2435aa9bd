import type { RandomSource } from "@dale-nn/ei-init";
import type { ImageShape } from "./image-dataset.js";

/**
 * Transforms the first `size` rows of a batch buffer `x` ([batchSize, features] row-major) in
 * place. `rng` is the epoch's random source (present when the transform is `random`); draws are
 * made in row order, so a batch's result depends only on (seed, epoch) and the rows visited.
 */
export type ApplyBatchTransform = (x: Float32Array, size: number, rng?: RandomSource) => void;

/**
 * A per-example transform applied to every batch `iterateBatches` yields (its `augment` option):
 * augmentation (`cifarAugmentation`), standardisation (`perImageStandardizationTransform`), or
 * several in order (`composeTransforms`). `create` runs once per `iterateBatches` call and
 * allocates any scratch buffers there, so applying it allocates nothing per batch or example.
 */
export interface BatchTransform {
  /** A name for messages, e.g. "pad-crop-flip(4)". */
  readonly name: string;
  /** True when it draws random numbers: `iterateBatches` then requires a seed. */
  readonly random: boolean;
  /**
   * Prepares the transform for a split's rows.
   *
   * @param shape - the split's image shape, or undefined for a split without one
   * @param features - values per row
   * @param batchSize - rows per batch buffer
   * @returns the in-place function applied to each batch
   * @throws RangeError when the transform needs a shape the split lacks
   */
  create(shape: ImageShape | undefined, features: number, batchSize: number): ApplyBatchTransform;
}

/**
 * Chains batch transforms: applied left to right on the same buffer, drawing from one random
 * source in that order (the paper 002 pipeline is augmentation, then per-image standardisation).
 *
 * @param transforms - the transforms, in order
 * @returns a transform that is `random` when any part is
 * @throws TypeError naming the position of an argument that is not a BatchTransform
 * @example
 * const train = composeTransforms(cifarAugmentation, perImageStandardizationTransform);
 */
export function composeTransforms(...transforms: BatchTransform[]): BatchTransform {
  transforms.forEach((t, i) => {
    if (t == null || typeof t.create !== "function") throw new TypeError(`composeTransforms: argument ${i} is not a BatchTransform (no create function); got ${t === null ? "null" : typeof t}`);
  });
  return {
    name: transforms.map((t) => t.name).join(" + "),
    random: transforms.some((t) => t.random),
    create(shape, features, batchSize) {
      const parts = transforms.map((t) => t.create(shape, features, batchSize));
      return (x, size, rng) => {
        for (const apply of parts) apply(x, size, rng);
      };
    },
  };
}
