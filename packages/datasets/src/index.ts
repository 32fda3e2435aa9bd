export { parseIdx, encodeIdx, type IdxArray } from "./idx.js";
export { imageSplitFromIdx, imageDatasetFromIdxBytes, type ImageSplit, type ImageDataset } from "./image-dataset.js";
