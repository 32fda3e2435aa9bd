import type { ImageShape, ImageSplit, ShapedImageSplit } from "./image-dataset.js";
import { formatValue, requireInteger } from "@dale-nn/core/validation";

/** Options for {@link padImages}. */
export interface PadImagesOptions {
  /** Output height, an integer >= the input height. */
  readonly height: number;
  /** Output width, an integer >= the input width. */
  readonly width: number;
  /** The input shape, for a split without `shape` (e.g. [28, 28, 1] for Fashion-MNIST). */
  readonly from?: ImageShape;
}

/**
 * Zero-pads every image of a split to `height` × `width`, centred: top = floor((H − h) / 2),
 * left = floor((W − w) / 2), so 28 × 28 → 32 × 32 adds 2 pixels of zeros on each side (the usual
 * way to feed MNIST-family images to a network built for CIFAR-10's 32 × 32, as for the
 * convolutional recurrent E/I networks of paper 002). Output pixel (y + top, x + left, c) equals
 * input pixel (y, x, c); every other value is 0. Labels are copied; targets are not carried.
 *
 * @param split - the images; their shape comes from `split.shape` or `options.from`
 * @param options - `height`, `width` and, without `split.shape`, `from`
 * @returns a new split with `shape` [height, width, channels]
 * @throws RangeError when the split has no shape and `from` is missing, when the shape does not match `features`, or when the target is smaller than the input
 * @example
 * const fashion32 = padImages(loadFashionMnist().train, { height: 32, width: 32, from: [28, 28, 1] });
 */
export function padImages(split: ImageSplit, options: PadImagesOptions): ShapedImageSplit {
  const { height, width, from } = options ?? ({} as PadImagesOptions);
  const shape = split.shape ?? from;
  if (shape === undefined) {
    throw new RangeError(`padImages: the split has no shape (features ${split.features}); pass options.from = [height, width, channels]`);
  }
  const [h, w, c] = shape;
  if (![h, w, c].every((d) => Number.isInteger(d) && d >= 1) || h * w * c !== split.features) {
    throw new RangeError(`padImages: shape ${formatValue(shape)} does not fit the split's ${split.features} features per image; expected positive integers with height * width * channels = features`);
  }
  requireInteger("padImages", "height", height, h);
  requireInteger("padImages", "width", width, w);
  const top = Math.floor((height - h) / 2);
  const left = Math.floor((width - w) / 2);
  const features = height * width * c;
  const images = new Float32Array(split.count * features);
  const rowIn = w * c;
  for (let r = 0; r < split.count; r++) {
    for (let y = 0; y < h; y++) {
      const src = r * split.features + y * rowIn;
      images.set(split.images.subarray(src, src + rowIn), r * features + ((y + top) * width + left) * c);
    }
  }
  return { images, labels: split.labels.slice(), count: split.count, features, numClasses: split.numClasses, shape: [height, width, c] };
}
