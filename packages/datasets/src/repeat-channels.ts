import type { ImageSplit, ShapedImageSplit } from "./image-dataset.js";
import { requireInteger } from "@dale-nn/core/validation";

/**
 * Repeats a one-channel (grey-scale) split's single channel `channels` times, so a network built
 * for RGB input (CIFAR-10's 3 channels) reads grey-scale images unchanged: output (y, x, k) =
 * input (y, x, 0) for every k.
 *
 * @param split - a split with `shape` [height, width, 1]
 * @param channels - output channels, an integer >= 1 (3 for RGB)
 * @returns a new split with `shape` [height, width, channels]
 * @throws RangeError when the split has no shape, more than one channel, or `channels` is not an integer >= 1
 * @example
 * const rgb = repeatChannels(fashion32, 3);
 */
export function repeatChannels(split: ImageSplit, channels: number): ShapedImageSplit {
  if (split.shape === undefined || split.shape[2] !== 1) {
    throw new RangeError(`repeatChannels: expected a split with shape [height, width, 1]; got ${split.shape === undefined ? `no shape (features ${split.features})` : `[${split.shape.join(", ")}]`}`);
  }
  requireInteger("repeatChannels", "channels", channels, 1);
  const [h, w] = split.shape;
  const pixels = split.count * h * w;
  const images = new Float32Array(pixels * channels);
  for (let p = 0; p < pixels; p++) {
    const v = split.images[p] as number;
    for (let k = 0; k < channels; k++) images[p * channels + k] = v;
  }
  return { images, labels: split.labels.slice(), count: split.count, features: h * w * channels, numClasses: split.numClasses, shape: [h, w, channels] };
}
