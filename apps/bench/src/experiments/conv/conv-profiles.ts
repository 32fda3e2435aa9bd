import type { ConvModel, ConvNetworkScale } from "./conv-models.js";

/** How much of paper 002's CIFAR-10 protocol one `dale-bench conv` invocation runs. */
export interface ConvProfile {
  name: "tiny" | "smoke" | "quick" | "paper";
  /** The name plus command-line overrides, as it appears in run ids. */
  label: string;
  epochs: number;
  seeds: number[];
  batchSize: number;
  /** Train / test on the first N images (null = all). */
  trainLimit: number | null;
  testLimit: number | null;
  /** Test accuracy every this many updates (rounded down to a divisor of the epoch, so every epoch end is a point too). */
  evalEveryUpdates: number;
  /** Learning-rate decay ÷10 at these fractions of the epochs (the paper: epochs 100, 150, 200 of 250). */
  decayAt: number[];
  /** Epochs whose weights are kept for `dale-bench selectivity` (0 = initialisation; the last epoch is always kept). */
  keepEpochs: number[];
  /** A scaled-down network (tiny), or null for the paper's. */
  scale: ConvNetworkScale | null;
  /** Default models when --models is not given. */
  models: ConvModel[];
}

const PAPER_DECAY = [100 / 250, 150 / 250, 200 / 250];

export const CONV_PROFILES: Record<ConvProfile["name"], ConvProfile> = {
  // Tests: a few batches of a scaled-down network (4 / 8 feedforward channels, 8 PN + 2 + 2, 2 steps).
  tiny: {
    name: "tiny", label: "tiny", epochs: 1, seeds: [0], batchSize: 8, trainLimit: 16, testLimit: 16, evalEveryUpdates: 1, decayAt: PAPER_DECAY,
    keepEpochs: [0], scale: { feedforward: [4, 8], principal: 8, interneurons: 2, timeSteps: 2 }, models: ["standard", "standard-ei"],
  },
  // Minutes on the OpenBLAS backend: the paper's network, 2 epochs on 256 training images, 100 test images.
  smoke: {
    name: "smoke", label: "smoke", epochs: 2, seeds: [0], batchSize: 32, trainLimit: 256, testLimit: 100, evalEveryUpdates: 4, decayAt: PAPER_DECAY,
    keepEpochs: [0, 1], scale: null, models: ["standard", "standard-ei"],
  },
  // About an hour on one core with the native conv kernels (about 85 training images/s at batch
  // 32 here): the paper's network, Standard and StandardEI, 3 seeds, 10 epochs of 4,000 images
  // (1,250 updates; cats-dogs has 1,600, so 500), 1,000 test images, weights kept for the
  // selectivity analyses at epochs 0, 1, 2, 4, 7, 10.
  quick: {
    name: "quick", label: "quick", epochs: 10, seeds: [0, 1, 2], batchSize: 32, trainLimit: 4000, testLimit: 1000, evalEveryUpdates: 125, decayAt: PAPER_DECAY,
    keepEpochs: [0, 1, 2, 4, 7], scale: null, models: ["standard", "standard-ei"],
  },
  // Paper 002, App. A: 250 epochs, batch 128, lr 0.1 ÷10 at epochs 100, 150, 200, 5 seeds.
  paper: {
    name: "paper", label: "paper", epochs: 250, seeds: [0, 1, 2, 3, 4], batchSize: 128, trainLimit: null, testLimit: null, evalEveryUpdates: 100, decayAt: PAPER_DECAY,
    keepEpochs: [0, 1, 2, 5, 10, 20, 30, 50, 100, 150, 200], scale: null, models: ["standard", "standard-ei", "inh-pn", "no-constraint"],
  },
};
