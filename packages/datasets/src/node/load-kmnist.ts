import { existsSync } from "node:fs";
import type { ImageDataset } from "../image-dataset.js";
import { loadIdxDirectory } from "./mnist-node.js";

const IDX_FILES = "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each plain or .gz)";

/**
 * Loads K-MNIST (Kuzushiji-MNIST, Clanuwat et al. 2018: 60,000 train / 10,000 test 28x28 images
 * of cursive Japanese characters, 10 classes) with pixels scaled to [0, 1] from a folder holding
 * its MNIST-format IDX files (the `.gz` files the K-MNIST project publishes under the standard
 * MNIST names). K-MNIST is not available offline, so there is no default folder. Training-set mean
 * pixel 0.1918 (`DATASET_PIXEL_MEANS.kmnist`).
 *
 * @param dir - a folder with the four IDX files
 * @returns the dataset, named "kmnist"
 * @throws Error when `dir` is not given or does not exist (saying what the folder must hold), or naming the file that is missing or malformed
 * @example
 * const { train, test } = loadKmnist("/data/kmnist");
 */
export function loadKmnist(dir: string): ImageDataset {
  if (typeof dir !== "string" || dir === "") {
    throw new Error(
      `K-MNIST: no folder given (got ${dir === "" ? '""' : String(dir)}); K-MNIST cannot be downloaded here: download its MNIST-format files elsewhere and pass the folder holding ${IDX_FILES}`,
    );
  }
  if (!existsSync(dir)) {
    throw new Error(`K-MNIST: folder not found: ${dir}; expected a folder holding ${IDX_FILES} (K-MNIST cannot be downloaded here)`);
  }
  return loadIdxDirectory(dir, "kmnist");
}
