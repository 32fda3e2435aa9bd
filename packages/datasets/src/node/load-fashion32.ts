import type { ShapedImageDataset } from "../image-dataset.js";
import { padImages } from "../pad-images.js";
import { repeatChannels } from "../repeat-channels.js";
import { FASHION_MNIST_DIRECTORY, loadFashionMnist } from "./load-fashion-mnist.js";

/** Options for {@link loadFashion32}. */
export interface LoadFashion32Options {
  /** The Fashion-MNIST folder (default {@link FASHION_MNIST_DIRECTORY}, Debian's `dataset-fashion-mnist`). */
  readonly dir?: string;
  /** 1 (default, grey-scale) or 3 (the grey channel repeated, for networks built for RGB CIFAR-10). */
  readonly channels?: 1 | 3;
}

/**
 * Fashion-MNIST padded to 32 × 32 for conv nets built for CIFAR-10: the 28 × 28 images of
 * {@link loadFashionMnist} with 2 pixels of zeros on each side ({@link padImages}), one channel
 * or the channel repeated three times ({@link repeatChannels}); pixels in [0, 1], NHWC. A
 * real-image dataset that needs no download (Debian `dataset-fashion-mnist`) for the
 * convolutional recurrent E/I networks of paper 002.
 *
 * @param options - `dir` (default Debian's folder), `channels` (1 default, or 3)
 * @returns the dataset, named "fashion32", 60,000 / 10,000 images of `shape` [32, 32, channels]
 * @throws Error from {@link loadFashionMnist} when the folder or a file is missing (with how to install the Debian package)
 * @throws RangeError when `channels` is not 1 or 3
 * @example
 * const { train, test } = loadFashion32({ channels: 3 }); // [60000, 32, 32, 3]
 */
export function loadFashion32(options: LoadFashion32Options = {}): ShapedImageDataset {
  const { dir = FASHION_MNIST_DIRECTORY, channels = 1 } = options ?? {};
  if (channels !== 1 && channels !== 3) throw new RangeError(`loadFashion32: channels must be 1 or 3; got ${String(channels)}`);
  const fashion = loadFashionMnist(dir);
  const pad = (split: typeof fashion.train) => {
    const padded = padImages(split, { height: 32, width: 32, from: [28, 28, 1] });
    return channels === 1 ? padded : repeatChannels(padded, channels);
  };
  return { name: "fashion32", train: pad(fashion.train), test: pad(fashion.test) };
}
