export { loadMnist, loadIdxDirectory, mnistDataDirectory } from "./mnist-node.js";
export { loadFashionMnist, FASHION_MNIST_DIRECTORY } from "./load-fashion-mnist.js";
export { loadKmnist } from "./load-kmnist.js";
export { loadDataset } from "./load-dataset.js";
export { DATASET_PIXEL_MEANS, DATASET_NAMES, isDatasetName, type DatasetName } from "../dataset-pixel-means.js";
export { loadNpy } from "./load-npy.js";
export { loadSequenceDataset, type SequenceDatasetFiles, type LoadSequenceDatasetOptions } from "./load-sequence-dataset.js";
export { loadTokenCorpus } from "./load-token-corpus.js";
export { loadGloveEmbeddings } from "./load-glove-embeddings.js";
