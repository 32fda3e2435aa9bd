import { padImages, perImageStandardization, type ImageSplit, type ShapedImageSplit } from "@dale-nn/datasets";

/** Sides the conv section accepts: 32 (MNIST zero-padded like fashion32) or 16 (that, 2 × 2 averaged). */
export type ConvImageSize = 16 | 32;

/**
 * The demo's MNIST digits as input for the convolutional recurrent E/I network: the first `count`
 * 28 × 28 images of a split zero-padded (centred) to 32 × 32 × 1, as `dale-bench conv` feeds
 * Fashion-MNIST to the CIFAR-10 network of paper 002, optionally halved to 16 × 16 by 2 × 2
 * averaging (x'[y, x] = ¼ Σ x[2y + a, 2x + b], a, b ∈ {0, 1}), then standardised per image,
 * (x − mean) / max(std, 1/√N), as the paper's networks see their images (App. A) and as
 * `gratingSet` standardises the gratings.
 *
 * @param split - an MNIST split (784 features per row, pixels in [0, 1])
 * @param count - how many of its first images to take (at most `split.count`)
 * @param size - 32 or 16
 * @returns a shaped split [size, size, 1] with standardised pixels
 * @throws RangeError when the split is not 28 × 28, `count` is out of range or `size` is not 16 or 32
 * @example
 * const train = convImages(subset.train, 5000, 16); // 5,000 × 16 × 16 × 1
 */
export function convImages(split: ImageSplit, count: number, size: ConvImageSize): ShapedImageSplit {
  if (split.features !== 28 * 28) throw new RangeError(`convImages: expected 28 × 28 MNIST images (784 features per row); got ${split.features}`);
  if (!Number.isInteger(count) || count < 1 || count > split.count) throw new RangeError(`convImages: count must be an integer in [1, ${split.count}]; got ${count}`);
  if (size !== 16 && size !== 32) throw new RangeError(`convImages: size must be 16 or 32; got ${String(size)}`);
  const first: ImageSplit = { images: split.images.subarray(0, count * 784), labels: split.labels.subarray(0, count), count, features: 784, numClasses: split.numClasses };
  const padded = padImages(first, { height: 32, width: 32, from: [28, 28, 1] });
  let images = padded.images;
  if (size === 16) {
    images = new Float32Array(count * 256);
    for (let n = 0; n < count; n++) {
      const src = n * 1024;
      const dst = n * 256;
      for (let y = 0; y < 16; y++) {
        for (let x = 0; x < 16; x++) {
          const a = src + 2 * y * 32 + 2 * x;
          images[dst + y * 16 + x] = 0.25 * ((padded.images[a] as number) + (padded.images[a + 1] as number) + (padded.images[a + 32] as number) + (padded.images[a + 33] as number));
        }
      }
    }
  }
  const features = size * size;
  perImageStandardization(images, features, images);
  return { images, labels: padded.labels, count, features, numClasses: split.numClasses, shape: [size, size, 1] };
}
