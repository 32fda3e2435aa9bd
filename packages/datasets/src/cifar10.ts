import type { ImageShape, ShapedImageSplit } from "./image-dataset.js";

/** Bytes per record of the CIFAR-10 binary version: one label byte, then 3 × 32 × 32 pixel bytes. */
export const CIFAR10_RECORD_BYTES = 3073;

/** CIFAR-10's image shape, [height, width, channels] = [32, 32, 3] (RGB). */
export const CIFAR10_SHAPE: ImageShape = [32, 32, 3];

/** The five training files of `cifar-10-batches-bin` (10,000 records each). */
export const CIFAR10_TRAIN_FILES: readonly string[] = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];

/** The test file of `cifar-10-batches-bin` (10,000 records). */
export const CIFAR10_TEST_FILE = "test_batch.bin";

/** CIFAR-10's class names by label (`batches.meta.txt`): 3 is cat, 5 is dog. */
export const CIFAR10_CLASS_NAMES: readonly string[] = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

const PLANE = 32 * 32;
const PIXELS = 3 * PLANE;

/** One CIFAR-10 binary file's bytes and the name its errors use. */
export interface Cifar10File {
  readonly bytes: Uint8Array;
  /** The file's path or name, quoted in every error. */
  readonly source: string;
}

/**
 * Parses one or more CIFAR-10 binary files (Krizhevsky 2009, the "binary version") into ONE split
 * of NHWC images scaled to [0, 1]. Each file is a run of 3,073-byte records: a label byte in
 * [0, 9], then the 1,024 red, 1,024 green and 1,024 blue bytes of a 32 × 32 image, each plane
 * row-major. Record r's pixel (y, x) of channel c lands at
 * `images[r * 3072 + (y * 32 + x) * 3 + c] = bytes[1 + c * 1024 + y * 32 + x] / 255`
 * (channel-first to channels-last, as tfjs conv layers read). Files are concatenated in the order
 * given (pass `data_batch_1.bin` ... `data_batch_5.bin` for the 50,000 training images). The
 * output is allocated once; for the full training set that is 50,000 × 3,072 float32 = 614 MB.
 *
 * Used by Sun et al. (paper 002, Sec. 2 and App. A) for the convolutional recurrent E/I networks.
 *
 * @param files - the files' bytes and names, in order
 * @returns a split with `shape` [32, 32, 3], `features` 3,072, `numClasses` 10
 * @throws Error naming the file, its size and the remainder when a size is not a multiple of 3,073 bytes
 * @throws Error naming the file, the record index and the value when a label byte is above 9
 * @example
 * const test = parseCifar10([{ bytes: new Uint8Array(await (await fetch(url)).arrayBuffer()), source: url }]);
 */
export function parseCifar10(files: readonly Cifar10File[]): ShapedImageSplit {
  if (!Array.isArray(files) || files.length === 0) {
    throw new TypeError(`parseCifar10: expected a non-empty array of { bytes, source } files; got ${Array.isArray(files) ? "[]" : String(files)}`);
  }
  let count = 0;
  for (const [i, file] of files.entries()) {
    if (file == null || !(file.bytes instanceof Uint8Array)) {
      throw new TypeError(`parseCifar10: files[${i}] (${String(file?.source ?? "unnamed")}) must have bytes as a Uint8Array; got ${file == null ? String(file) : typeof file.bytes}`);
    }
    const size = file.bytes.length;
    const remainder = size % CIFAR10_RECORD_BYTES;
    if (remainder !== 0 || size === 0) {
      throw new Error(
        `${file.source}: size ${size} bytes is not a positive multiple of the CIFAR-10 record size ${CIFAR10_RECORD_BYTES} (remainder ${remainder}); expected ${CIFAR10_RECORD_BYTES}-byte records (1 label byte + 3,072 pixel bytes) of the CIFAR-10 binary version`,
      );
    }
    count += size / CIFAR10_RECORD_BYTES;
  }
  const images = new Float32Array(count * PIXELS);
  const labels = new Uint8Array(count);
  let row = 0;
  for (const { bytes, source } of files) {
    const records = bytes.length / CIFAR10_RECORD_BYTES;
    for (let r = 0; r < records; r++, row++) {
      const base = r * CIFAR10_RECORD_BYTES;
      const label = bytes[base] as number;
      if (label > 9) throw new Error(`${source}: record ${r} has label byte ${label}; expected a CIFAR-10 class in [0, 9]`);
      labels[row] = label;
      const out = row * PIXELS;
      for (let c = 0; c < 3; c++) {
        const plane = base + 1 + c * PLANE;
        for (let p = 0; p < PLANE; p++) images[out + p * 3 + c] = (bytes[plane + p] as number) / 255;
      }
    }
  }
  return { images, labels, count, features: PIXELS, numClasses: 10, shape: CIFAR10_SHAPE };
}
