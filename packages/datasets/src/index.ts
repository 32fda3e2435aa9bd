export { parseIdx, encodeIdx, type IdxArray } from "./idx.js";
export { imageSplitFromIdx, imageDatasetFromIdxBytes, type ImageSplit, type ImageDataset } from "./image-dataset.js";
export { parseIdxAuto, gunzip, isGzip } from "./parse-idx-auto.js";
export { loadIdxFromUrl, type FetchLike, type FetchResponseLike } from "./load-idx-from-url.js";
export { loadImageDatasetFromUrls, type ImageDatasetUrls } from "./load-image-dataset-from-urls.js";
export { DATASET_PIXEL_MEANS, DATASET_NAMES, isDatasetName, type DatasetName } from "./dataset-pixel-means.js";
export { fullView, subsetView, type SplitView } from "./split-view.js";
export { trainValidationSplit, type TrainValidationSplitOptions } from "./train-validation-split.js";
export { iterateBatches, batchCount, epochOrder, type Batch, type IterateBatchesOptions } from "./iterate-batches.js";
