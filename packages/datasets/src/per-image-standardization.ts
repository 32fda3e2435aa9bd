import type { BatchTransform } from "./batch-transform.js";
import { formatValue, requireInteger } from "@dale-nn/core/validation";

/**
 * Standardises each image to mean 0 and standard deviation 1 over all its pixels and channels,
 * as TensorFlow's `tf.image.per_image_standardization`:
 *
 *   x' = (x − mean) / max(std, 1/√N),  N = features (height × width × channels),
 *
 * with the population standard deviation; the floor 1/√N keeps a constant image finite (it maps to
 * 0). Sun et al. (paper 002, CIFAR-10 training, with the authors' code) apply it at train and
 * test time, after augmentation. Sums run in float64. Zero rows (the padding of a last partial
 * batch) stay 0.
 *
 * @param images - [count, features] row-major
 * @param features - values per image, an integer >= 1 dividing `images.length`
 * @param out - where to write (default a new array); may be `images` itself (in place)
 * @returns `out`
 * @throws RangeError naming the value when `features` does not divide the length or `out` has another length
 * @example
 * const test = { ...ds.test, images: perImageStandardization(ds.test.images, ds.test.features) };
 */
export function perImageStandardization(images: Float32Array, features: number, out: Float32Array = new Float32Array(images.length)): Float32Array {
  requireInteger("perImageStandardization", "features", features, 1);
  if (images.length % features !== 0) {
    throw new RangeError(`perImageStandardization: images.length ${images.length} is not a multiple of features ${features}; expected [count, features] row-major`);
  }
  if (out.length !== images.length) throw new RangeError(`perImageStandardization: out.length ${formatValue(out.length)} must equal images.length ${images.length}`);
  const floor = 1 / Math.sqrt(features);
  for (let start = 0; start < images.length; start += features) {
    const end = start + features;
    let sum = 0;
    for (let i = start; i < end; i++) sum += images[i] as number;
    const mean = sum / features;
    let squares = 0;
    for (let i = start; i < end; i++) {
      const d = (images[i] as number) - mean;
      squares += d * d;
    }
    const scale = 1 / Math.max(Math.sqrt(squares / features), floor);
    for (let i = start; i < end; i++) out[i] = ((images[i] as number) - mean) * scale;
  }
  return out;
}

/**
 * {@link perImageStandardization} as a batch transform for `iterateBatches`' `augment` option:
 * standardises the filled rows of each batch in place; draws no random numbers.
 *
 * @example
 * for (const b of iterateBatches(fullView(test), { batchSize: 500, shuffle: false, augment: perImageStandardizationTransform })) { ... }
 */
export const perImageStandardizationTransform: BatchTransform = {
  name: "per-image-standardization",
  random: false,
  create(_shape, features) {
    return (x, size) => {
      const rows = x.subarray(0, size * features);
      perImageStandardization(rows, features, rows);
    };
  },
};
