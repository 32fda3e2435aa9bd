import { existsSync } from "node:fs";
import type { ImageDataset } from "../image-dataset.js";
import { loadIdxDirectory } from "./mnist-node.js";

/** Where Debian's package `dataset-fashion-mnist` installs the four gzipped IDX files. */
export const FASHION_MNIST_DIRECTORY = "/usr/share/datasets/fashion-mnist";

const IDX_FILES = "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each plain or .gz)";

/**
 * Loads Fashion-MNIST (Xiao et al. 2017: 60,000 train / 10,000 test 28x28 images of clothing,
 * 10 classes) with pixels scaled to [0, 1], by default from the folder Debian's
 * `dataset-fashion-mnist` installs. Training-set mean pixel 0.2860 (`DATASET_PIXEL_MEANS.fashion`).
 *
 * @param dir - a folder with the four IDX files (default {@link FASHION_MNIST_DIRECTORY})
 * @returns the dataset, named "fashion"
 * @throws Error naming `dir` when the folder is missing (with how to install it), or the file that is missing or malformed
 * @example
 * const { train, test } = loadFashionMnist(); // apt-get install dataset-fashion-mnist
 */
export function loadFashionMnist(dir: string = FASHION_MNIST_DIRECTORY): ImageDataset {
  if (typeof dir !== "string" || dir === "" || !existsSync(dir)) {
    throw new Error(
      `Fashion-MNIST: folder not found: ${String(dir)}; install the Debian package dataset-fashion-mnist (it puts the files in ${FASHION_MNIST_DIRECTORY}) or pass a folder holding ${IDX_FILES}`,
    );
  }
  return loadIdxDirectory(dir, "fashion");
}
