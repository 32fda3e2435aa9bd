export { parseIdx, encodeIdx, type IdxArray } from "./idx.js";
export {
  imageSplitFromIdx,
  imageDatasetFromIdxBytes,
  imageDatasetFromSplits,
  type ImageSplit,
  type ImageDataset,
  type ImageShape,
  type ShapedImageSplit,
  type ShapedImageDataset,
} from "./image-dataset.js";
export { parseIdxAuto, gunzip, isGzip } from "./parse-idx-auto.js";
export { loadIdxFromUrl, type FetchLike, type FetchResponseLike } from "./load-idx-from-url.js";
export { loadImageDatasetFromUrls, type ImageDatasetUrls } from "./load-image-dataset-from-urls.js";
export { DATASET_PIXEL_MEANS, DATASET_NAMES, isDatasetName, type DatasetName } from "./dataset-pixel-means.js";
export { fullView, subsetView, type SplitView } from "./split-view.js";
export { trainValidationSplit, type TrainValidationSplitOptions } from "./train-validation-split.js";
export { iterateBatches, batchCount, epochOrder, type Batch, type IterateBatchesOptions } from "./iterate-batches.js";
export { parseNpy, encodeNpy, type NpyArray, type NpyDtype } from "./npy.js";
export { sequenceSplitFromArrays, type SequenceSplit, type SequenceArrays, type SequenceArrayNames } from "./sequence-split-from-arrays.js";
export { firstStepSequence } from "./first-step-sequence.js";
export { tokenCorpusFromText, type TokenCorpus, type TokenCorpusOptions } from "./token-corpus-from-text.js";
export { parseGloveEmbeddings, type GloveEmbeddings, type GloveOptions } from "./parse-glove-embeddings.js";
export { languageModelBatches, languageModelBatchCount, type LanguageModelBatch, type LanguageModelBatchOptions } from "./language-model-batches.js";
export {
  parseCifar10,
  CIFAR10_RECORD_BYTES,
  CIFAR10_SHAPE,
  CIFAR10_TRAIN_FILES,
  CIFAR10_TEST_FILE,
  CIFAR10_CLASS_NAMES,
  type Cifar10File,
} from "./cifar10.js";
export { catsDogsFromJson, CATS_DOGS_CLASS_NAMES, type CatsDogsJson, type CatsDogsOptions } from "./cats-dogs.js";
export { padImages, type PadImagesOptions } from "./pad-images.js";
export { repeatChannels } from "./repeat-channels.js";
export { perImageStandardization, perImageStandardizationTransform } from "./per-image-standardization.js";
export { composeTransforms, type BatchTransform, type ApplyBatchTransform } from "./batch-transform.js";
export { padCropFlip, cifarAugmentation, type PadCropFlipOptions } from "./pad-crop-flip.js";
