import { imageDatasetFromSplits, imageSplitFromIdx, type ImageDataset } from "./image-dataset.js";
import { loadIdxFromUrl, type FetchLike } from "./load-idx-from-url.js";

/** The URLs of the four IDX files of an MNIST-family dataset (each plain or gzipped). */
export interface ImageDatasetUrls {
  readonly trainImages: string | URL;
  readonly trainLabels: string | URL;
  readonly testImages: string | URL;
  readonly testLabels: string | URL;
}

/**
 * Fetches the four IDX files of an MNIST-family dataset in parallel and builds an
 * {@link ImageDataset} with pixels scaled to [0, 1] (browser-safe; the Node loaders read folders
 * instead).
 *
 * @param urls - the four files' URLs, plain or `.gz`
 * @param name - the dataset's name (e.g. "mnist")
 * @param fetchImpl - a `fetch`-compatible function (default: the global `fetch`)
 * @returns the dataset
 * @throws Error naming the URL of a file that fails to load or parse, or both URLs when image and label counts differ
 * @example
 * const ds = await loadImageDatasetFromUrls({
 *   trainImages: "/data/train-images-idx3-ubyte.gz", trainLabels: "/data/train-labels-idx1-ubyte.gz",
 *   testImages: "/data/t10k-images-idx3-ubyte.gz", testLabels: "/data/t10k-labels-idx1-ubyte.gz",
 * }, "mnist");
 */
export async function loadImageDatasetFromUrls(urls: ImageDatasetUrls, name: string, fetchImpl?: FetchLike): Promise<ImageDataset> {
  const keys = ["trainImages", "trainLabels", "testImages", "testLabels"] as const;
  for (const key of keys) {
    if (urls?.[key] === undefined || urls[key] === "") {
      throw new Error(`loadImageDatasetFromUrls(${JSON.stringify(name)}): urls.${key} is missing; expected the URLs of all four IDX files`);
    }
  }
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(keys.map((k) => loadIdxFromUrl(urls[k], fetchImpl)));
  return imageDatasetFromSplits(
    name,
    { split: imageSplitFromIdx(trainImages!, trainLabels!, { images: String(urls.trainImages), labels: String(urls.trainLabels) }), shape: trainImages!.shape, source: String(urls.trainImages) },
    { split: imageSplitFromIdx(testImages!, testLabels!, { images: String(urls.testImages), labels: String(urls.testLabels) }), shape: testImages!.shape, source: String(urls.testImages) },
  );
}
