/** A profile of `dale-bench fisher`: how much of the protocol of Cornford et al. (2021), Fig. 2 one invocation runs. */
export interface FisherProfile {
  name: "tiny" | "smoke" | "quick" | "paper";
  epochs: number;
  /** Seeds 0 .. seeds − 1 unless --seeds says otherwise. */
  seeds: number;
  /** The reference code's Fisher run: 250. */
  batchSize: number;
  /** Train on the first N training images (null: all 60,000). */
  trainLimit: number | null;
  /** Evaluate on the first N test images (null: all 10,000). */
  testLimit: number | null;
  /** Test error every this many updates (and at the start and the end). */
  evalEveryUpdates: number;
  /** The moving average of the curves, in updates (Fig. 2: 500). */
  window: number;
  /** The record's curves: one point every this many updates. */
  curveEvery: number;
  /**
   * The network's hidden layers (E units each) and inhibitory units per hidden layer; null: the
   * paper's 784 − 3 × (500 E, 50 I) − 10 (1 I), `buildPaperNetwork({ kind: "dann" })`.
   */
  network: { hidden: number[]; inhibitory: number } | null;
}

/** Every profile, by name. */
export const FISHER_PROFILES: Record<FisherProfile["name"], FisherProfile> = {
  // Seconds, for tests: 200 images, a small DANN, 16 updates.
  tiny: { name: "tiny", epochs: 2, seeds: 1, batchSize: 25, trainLimit: 200, testLimit: 200, evalEveryUpdates: 4, window: 4, curveEvery: 2, network: { hidden: [32, 32, 32], inhibitory: 4 } },
  // About a minute: one epoch on 12,000 images (48 updates) of the paper's network.
  smoke: { name: "smoke", epochs: 1, seeds: 1, batchSize: 250, trainLimit: 12_000, testLimit: null, evalEveryUpdates: 24, window: 500, curveEvery: 4, network: null },
  // 3 epochs of the full training set (720 updates).
  quick: { name: "quick", epochs: 3, seeds: 1, batchSize: 250, trainLimit: null, testLimit: null, evalEveryUpdates: 200, window: 500, curveEvery: 20, network: null },
  // Fig. 2: 50 epochs on MNIST (12,000 updates), one seed, a moving average over 500 updates.
  paper: { name: "paper", epochs: 50, seeds: 1, batchSize: 250, trainLimit: null, testLimit: null, evalEveryUpdates: 200, window: 500, curveEvery: 100, network: null },
};

/** Profile names in help order. */
export const FISHER_PROFILE_NAMES = Object.keys(FISHER_PROFILES) as Array<FisherProfile["name"]>;

/**
 * The reference code's settings of the diagonal-Fisher run (REFERENCE-NOTES, paper 000, Alg. 4):
 * SGD with lr 300 on the Fisher-preconditioned gradient; F̂ times f_lambda = 2.5e-5 (λ = 40,000),
 * momentum k = 0.02, eps 1e-8, each layer's F⁻¹ divided by the norm of its W_EE block.
 */
export const REFERENCE_FISHER = { learningRate: 300, lambda: 40_000, momentum: 0.02, eps: 1e-8, normalise: "inverse-fisher" } as const;
