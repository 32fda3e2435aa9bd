import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES, parseCifar10 } from "../cifar10.js";
import type { ShapedImageDataset } from "../image-dataset.js";

const FOLDER_MUST_HOLD = `${CIFAR10_TRAIN_FILES.join(", ")} and ${CIFAR10_TEST_FILE} (the CIFAR-10 binary version, the cifar-10-batches-bin folder of cifar-10-binary.tar.gz)`;

/**
 * Loads CIFAR-10 (Krizhevsky 2009: 50,000 train / 10,000 test 32 × 32 RGB images, 10 classes)
 * from a folder holding its binary version, as NHWC float32 in [0, 1] (see {@link parseCifar10}).
 * CIFAR-10 cannot be downloaded here, so there is no default folder. A folder whose
 * `cifar-10-batches-bin` subfolder holds the files (the unpacked archive) is accepted too.
 * The training split takes 614 MB of float32, the test split 123 MB.
 *
 * The convolutional recurrent E/I networks of Sun et al. (paper 002, Sec. 2, App. A) train on it
 * with `cifarAugmentation` and `perImageStandardization`.
 *
 * @param dir - the folder with data_batch_1.bin ... data_batch_5.bin and test_batch.bin
 * @returns the dataset, named "cifar10", splits with `shape` [32, 32, 3]
 * @throws Error when `dir` is not given or missing, or naming the first missing file and what the folder must hold
 * @throws Error naming the file from {@link parseCifar10} when a size or label byte is wrong
 * @example
 * const { train, test } = loadCifar10("/data/cifar-10-batches-bin");
 */
export function loadCifar10(dir: string): ShapedImageDataset {
  if (typeof dir !== "string" || dir === "") {
    throw new Error(
      `CIFAR-10: no folder given (got ${dir === "" ? '""' : String(dir)}); CIFAR-10 cannot be downloaded here: download it elsewhere and pass the folder holding ${FOLDER_MUST_HOLD}`,
    );
  }
  if (!existsSync(dir)) throw new Error(`CIFAR-10: folder not found: ${dir}; expected a folder holding ${FOLDER_MUST_HOLD}`);
  const nested = join(dir, "cifar-10-batches-bin");
  const root = !existsSync(join(dir, CIFAR10_TEST_FILE)) && existsSync(join(nested, CIFAR10_TEST_FILE)) ? nested : dir;
  const read = (name: string) => {
    const path = join(root, name);
    if (!existsSync(path)) throw new Error(`CIFAR-10: ${path}: file not found; expected ${dir} to hold ${FOLDER_MUST_HOLD}`);
    const buf = readFileSync(path);
    return { bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), source: path };
  };
  const trainFiles = CIFAR10_TRAIN_FILES.map(read);
  const testFile = read(CIFAR10_TEST_FILE);
  return { name: "cifar10", train: parseCifar10(trainFiles), test: parseCifar10([testFile]) };
}
