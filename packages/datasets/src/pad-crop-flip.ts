import type { BatchTransform } from "./batch-transform.js";
import { formatValue, requireInteger } from "@dale-nn/core/validation";

/** Options for {@link padCropFlip}. */
export interface PadCropFlipOptions {
  /** Zero pixels added on each side before cropping back to the original size (default 4: 32 → 40 → 32). */
  readonly pad?: number;
  /** Mirror left-right with probability 1/2 (default true). */
  readonly flip?: boolean;
}

/**
 * The standard CIFAR-10 augmentation as a seeded batch transform: each image is zero-padded by
 * `pad` pixels on every side, a random window of the original size is cropped from it, and the
 * crop is mirrored left-right with probability 1/2. For an H × W image and draws
 * dy, dx ∈ {0, ..., 2·pad} (uniform) and flip ∈ {false, true}:
 *
 *   out(y, x, c) = in(y + dy − pad, x' + dx − pad, c),  x' = flip ? W − 1 − x : x,
 *
 * and 0 where the source falls outside the image. This is the pipeline of Sun et al. (paper 002,
 * CIFAR-10 training; the authors' code: pad to 40 × 40, random 32 × 32 crop, random horizontal
 * flip), as in the TensorFlow ResNet CIFAR-10 model. Three draws per example from the epoch's
 * random source, in row order; one scratch image is allocated per `iterateBatches` call, nothing
 * per batch or example.
 *
 * @param options - `pad` (default 4), `flip` (default true)
 * @returns a random {@link BatchTransform} for splits with a `shape`
 * @throws RangeError naming the value when `pad` is not an integer >= 0 or `flip` not a boolean; `create` throws when the split has no shape
 * @example
 * for (const b of iterateBatches(train, { batchSize: 128, seed, epoch, augment: padCropFlip({ pad: 4 }) })) { ... }
 */
export function padCropFlip(options: PadCropFlipOptions = {}): BatchTransform {
  const { pad = 4, flip = true } = options ?? {};
  requireInteger("padCropFlip", "pad", pad, 0);
  if (typeof flip !== "boolean") throw new RangeError(`padCropFlip: flip must be a boolean; got ${formatValue(flip)}`);
  const name = `pad-crop-flip(${pad}${flip ? "" : ", no flip"})`;
  return {
    name,
    random: true,
    create(shape, features) {
      if (shape === undefined) {
        throw new RangeError(`${name}: needs images with a shape [height, width, channels]; the split has none (features ${features}). Use a shaped split (loadCifar10, loadCatsDogs, padImages)`);
      }
      const [height, width, channels] = shape;
      const row = width * channels;
      const scratch = new Float32Array(features);
      return (x, size, rng) => {
        if (rng === undefined) throw new RangeError(`${name}: needs a random source; got undefined (iterateBatches passes one when a seed is given)`);
        for (let j = 0; j < size; j++) {
          const image = x.subarray(j * features, (j + 1) * features);
          scratch.set(image);
          const dy = rng.integer(2 * pad + 1) - pad;
          const dx = rng.integer(2 * pad + 1) - pad;
          const mirror = flip && rng.uniform() < 0.5;
          for (let y = 0; y < height; y++) {
            const sy = y + dy;
            const outRow = y * row;
            if (sy < 0 || sy >= height) {
              image.fill(0, outRow, outRow + row);
              continue;
            }
            const inRow = sy * row;
            for (let xo = 0; xo < width; xo++) {
              const sx = (mirror ? width - 1 - xo : xo) + dx;
              const o = outRow + xo * channels;
              if (sx < 0 || sx >= width) {
                for (let c = 0; c < channels; c++) image[o + c] = 0;
              } else {
                const s = inRow + sx * channels;
                for (let c = 0; c < channels; c++) image[o + c] = scratch[s + c] as number;
              }
            }
          }
        }
      };
    },
  };
}

/**
 * The CIFAR-10 training augmentation of paper 002: {@link padCropFlip} with pad 4 (40 × 40),
 * random 32 × 32 crop, random horizontal flip. Follow it with `perImageStandardizationTransform`
 * (`composeTransforms`) for the paper's full input pipeline.
 *
 * @example
 * const augment = composeTransforms(cifarAugmentation, perImageStandardizationTransform);
 * for (const b of iterateBatches(train, { batchSize: 128, seed: 0, epoch, augment })) { ... }
 */
export const cifarAugmentation: BatchTransform = padCropFlip({ pad: 4, flip: true });
