import type { UpdateControlRecord } from "../update-control.js";

/** Datasets of the feedforward experiments (Cornford et al. 2021, Tables 1-3), in the paper's table order. */
export const RUN_DATASETS = ["mnist", "kmnist", "fashion"] as const;

/**
 * Models of the feedforward experiments, in the order the report lists them.
 * `dann-nc`: DANN without the update corrections; `dann-1i`: DANN with one inhibitory unit per layer;
 * `dann-gradnorm` / `dann-lrscale`: DANN with gradient normalisation / learning-rate scaling (Supp. Fig. 5).
 */
export const RUN_MODELS = [
  "mlp",
  "layernorm-mlp",
  "batchnorm-mlp",
  "dann",
  "dann-nc",
  "dann-1i",
  "columnei",
  "dann-gradnorm",
  "dann-lrscale",
] as const;

/** Splits a run can be evaluated on: "test" for final runs, "validation" for learning-rate search runs. */
export const RUN_EVAL_SPLITS = ["test", "validation"] as const;

/** A dataset name of {@link RUN_DATASETS}. */
export type RunDataset = (typeof RUN_DATASETS)[number];
/** A model name of {@link RUN_MODELS}. */
export type RunModel = (typeof RUN_MODELS)[number];
/** An evaluation split of {@link RUN_EVAL_SPLITS}. */
export type RunEvalSplit = (typeof RUN_EVAL_SPLITS)[number];

/**
 * One finished training run of `dale-bench ffwd`: one JSON line of `<out>/results.jsonl` (schema 1).
 *
 * Errors are fractions in [0, 1]; the report converts them to percent. A non-finite error
 * (NaN after divergence) is written by `JSON.stringify` as `null`; `readRunRecords` reads it back as NaN.
 *
 * @example
 * const row: RunRecord = {
 *   schema: 1, experiment: "ffwd", runId: "mnist/dann/quick/lr=0.1107/seed=0/eval=test",
 *   dataset: "mnist", model: "dann", profile: "quick", seed: 0, learningRate: 0.1107,
 *   epochs: 2, batchSize: 32, evalSplit: "test", trainErrorPerEpoch: [0.05, 0.02],
 *   evalCurve: [{ update: 200, error: 0.08 }], finalTrainError: 0.02, finalEvalError: 0.03,
 *   wallSeconds: 41.5, backend: "wasm", versions: { "@tensorflow/tfjs": "4.22.0" },
 *   startedAt: "2025-01-01T00:00:00.000Z", finishedAt: "2025-01-01T00:00:41.500Z",
 * };
 */
export interface RunRecord {
  /** Row format version; always 1. */
  schema: 1;
  /** Experiment family; always "ffwd". */
  experiment: "ffwd";
  /** Unique key, e.g. "mnist/dann/quick/lr=0.1107/seed=0/eval=test". */
  runId: string;
  /** Dataset trained on. */
  dataset: RunDataset;
  /** Model trained. */
  model: RunModel;
  /** Run profile: "smoke" | "quick" | "paper" | "search" (free-form). */
  profile: string;
  /** Random seed. */
  seed: number;
  /** SGD learning rate. */
  learningRate: number;
  /** Number of epochs trained. */
  epochs: number;
  /** Minibatch size. */
  batchSize: number;
  /** Split the eval errors are measured on ("validation" for learning-rate search runs). */
  evalSplit: RunEvalSplit;
  /** Training error (fraction in [0, 1]) after each epoch. */
  trainErrorPerEpoch: number[];
  /** Eval-split error (fraction) every N updates. */
  evalCurve: { update: number; error: number }[];
  /** Final training error (fraction). */
  finalTrainError: number;
  /** Final error on `evalSplit` (fraction). */
  finalEvalError: number;
  /** Wall-clock seconds of the run. */
  wallSeconds: number;
  /** TensorFlow.js backend: "wasm" | "cpu" | "tensorflow" | ... */
  backend: string;
  /** Package versions, name to version. */
  versions: Record<string, string>;
  /** ISO date the run started. */
  startedAt: string;
  /** ISO date the run finished. */
  finishedAt: string;
  /** The backends of a run resumed on another backend, in order (absent when it ran on one). */
  backends?: string[];
  /** Present when the run diverged (NaN guard): the update and why. */
  diverged?: { update: number; reason: string };
  /** Supp. Fig. 5's variants: the control and how often it changed a layer's step. */
  updateControl?: UpdateControlRecord;
}
