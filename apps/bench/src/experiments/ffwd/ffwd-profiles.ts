/** A profile: how much of the paper's protocol a `dale-bench ffwd` invocation runs. */
export interface FfwdProfile {
  name: "headline" | "smoke" | "quick" | "paper";
  /** The profile as recorded in run ids and reports: the name plus any command-line overrides. */
  label: string;
  epochs: number;
  seeds: number[];
  batchSize: number;
  /** Train on the first N training images only (smoke); null = all. */
  trainLimit: number | null;
  /** Evaluate the test (or validation) error every this many updates (the paper: 200). */
  evalEveryUpdates: number;
  /** "full-pass": train error over the whole training set after each epoch (the paper's tables). */
  trainError: "full-pass" | "running";
  /**
   * The DANN models' first-layer initialisation (`--dann-first-layer`): the paper's (App. D, the
   * default) or the public reference code's sqrt(1 / (2d)) scale; in the label when not the paper's.
   */
  dannFirstLayerInit?: "paper" | "reference-first-layer";
  /**
   * `--norm-layers all`: the LayerNorm and BatchNorm MLPs normalise their output logits too, as the
   * reference code's build_densenet does; in the label when set. Absent: the paper's plain output layer.
   */
  normaliseOutput?: true;
  /** `--mlp-first-layer reference`: the MLP kinds' first layer with the reference code's gain 1 (std √(1/d)); in the label when set. */
  mlpFirstLayerInit?: "reference-first-layer";
  /** The models trained when --models is not given (default: the dataset's table). */
  models?: ReadonlyArray<"mlp" | "dann" | "dann-nc" | "columnei">;
}

export const FFWD_PROFILES: Record<FfwdProfile["name"], FfwdProfile> = {
  // The README's main job, a few minutes with OpenBLAS on two cores: the paper's headline (Table 1)
  // in two epochs of the full training set: DANN about as good as the MLP, far better than DANN
  // without the update correction and than ColumnEi.
  headline: { name: "headline", label: "headline", epochs: 2, seeds: [0], batchSize: 32, trainLimit: null, evalEveryUpdates: 500, trainError: "running", models: ["mlp", "dann", "dann-nc", "columnei"] },
  // Minutes: one epoch on 6,000 images per model.
  smoke: { name: "smoke", label: "smoke", epochs: 1, seeds: [0], batchSize: 32, trainLimit: 6000, evalEveryUpdates: 100, trainError: "full-pass" },
  // Well under an hour here: 3 epochs of the full training set, one seed.
  quick: { name: "quick", label: "quick", epochs: 3, seeds: [0], batchSize: 32, trainLimit: null, evalEveryUpdates: 500, trainError: "full-pass" },
  // Cornford et al. (2021), Sec. 5.1: 50 epochs, batch 32, 6 seeds, test error every 200 updates.
  paper: { name: "paper", label: "paper", epochs: 50, seeds: [0, 1, 2, 3, 4, 5], batchSize: 32, trainLimit: null, evalEveryUpdates: 200, trainError: "full-pass" },
};
