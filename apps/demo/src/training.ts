import * as tf from "@tensorflow/tfjs";
import { DATASET_PIXEL_MEANS, fullView, iterateBatches, type ImageSplit } from "@dale-nn/datasets";
import { buildPaperNetwork } from "@dale-nn/ei-layers";
import { dannUpdateCorrection } from "@dale-nn/fisher-correction";
import { ProjectedSGD } from "@dale-nn/projected-sgd";
import { classificationTask } from "@dale-nn/tasks";
import { trainModel, type TrainResult } from "@dale-nn/train";
import { disposeResidentBatch, residentBatch, withResidentBatches, type ResidentBatch } from "./resident-batch.js";

export type FeedforwardKind = "mlp" | "columnei" | "dann";
export const FEEDFORWARD_KINDS: readonly FeedforwardKind[] = ["mlp", "columnei", "dann"];
export const FEEDFORWARD_LABELS: Record<FeedforwardKind, string> = { mlp: "MLP", columnei: "ColumnEi", dann: "DANN" };

/**
 * Default learning rates: the tuned MNIST rates of Cornford et al. (2021) (MLP 0.2976, DANN
 * 0.1107, ColumnEi 0.05273), for 784 − 3 × 500 − 10 networks; they also train the demo's
 * one-hidden-layer networks.
 */
export const DEFAULT_LEARNING_RATES: Record<FeedforwardKind, number> = { mlp: 0.2976, columnei: 0.05273, dann: 0.1107 };

/** The demo's settings. */
export interface TrainingSettings {
  hidden: number;
  inhibitory: number;
  learningRates: Record<FeedforwardKind, number>;
  batchSize: number;
  epochs: number;
  evalEvery: number;
  /**
   * Read the losses back every this many updates, in one read (the chart still gets every update's
   * loss, `checkEvery` at a time). On WebGL a read-back waits for all the GPU work queued before it:
   * reading after every update kept the page and the GPU waiting on each other, while reading
   * rarely makes the read that comes wait for many queued updates of all three networks (about
   * 1.2–2.8 s at 25 on software WebGL). 5 gave 17–60 % more updates per second than 1 there with
   * no task over 0.4 s.
   */
  checkEvery: number;
  seed: number;
}

export const DEFAULT_SETTINGS: TrainingSettings = {
  hidden: 100,
  inhibitory: 10,
  learningRates: { ...DEFAULT_LEARNING_RATES },
  batchSize: 32,
  epochs: 20,
  evalEvery: 25,
  checkEvery: 5,
  seed: 0,
};

export interface RunCallbacks {
  onLoss(kind: FeedforwardKind, update: number, loss: number): void;
  onTestError(kind: FeedforwardKind, update: number, error: number): void;
}

/** One network training: its model, optimizer and the promise of its trainModel call. */
export interface Run {
  kind: FeedforwardKind;
  model: tf.Sequential;
  optimizer: ProjectedSGD;
  /** The test split as one batch, uploaded once and evaluated every `evalEvery` updates. */
  test: ResidentBatch;
  done: Promise<TrainResult>;
}

/**
 * Builds the network (784 − hidden − 10; DANN and ColumnEi with `inhibitory` I units) and its
 * projected-SGD optimizer (the DANN with the update correction of Alg. 3), uploads the test split
 * once, and starts trainModel with `yieldFn` after every update.
 */
export function startRun(
  kind: FeedforwardKind,
  data: { train: ImageSplit; test: ImageSplit },
  settings: TrainingSettings,
  yieldFn: () => Promise<void>,
  signal: AbortSignal,
  callbacks: RunCallbacks,
): Run {
  const model = buildPaperNetwork({
    kind,
    seed: settings.seed,
    inputs: data.train.features,
    hidden: [settings.hidden],
    inhibitory: settings.inhibitory,
    outputs: 10,
    inputMean: DATASET_PIXEL_MEANS.mnist,
  });
  const optimizer = new ProjectedSGD({
    learningRate: settings.learningRates[kind],
    transforms: kind === "dann" ? [dannUpdateCorrection()] : [],
  });
  const train = fullView(data.train);
  const testView = fullView(data.test);
  const task = classificationTask({ numClasses: 10, inputSize: data.train.features });
  const [testBatch] = iterateBatches(testView, { batchSize: testView.count, shuffle: false });
  if (!testBatch) throw new RangeError(`startRun: the test split is empty; expected at least one example`);
  const test = residentBatch(task, testBatch);
  const done = trainModel({
    model,
    optimizer,
    task: withResidentBatches(task),
    epochs: settings.epochs,
    trainBatches: (epoch) => iterateBatches(train, { batchSize: settings.batchSize, seed: settings.seed, epoch }),
    updatesPerEpoch: Math.ceil(train.count / settings.batchSize),
    evaluation: { batches: () => [test], everyUpdates: settings.evalEvery },
    checkEvery: settings.checkEvery,
    progress: "per-update",
    trainError: "running",
    callbacks: {
      onProgress: ({ update, meanLoss }) => callbacks.onLoss(kind, update, meanLoss),
      onEvaluation: ({ update, error }) => callbacks.onTestError(kind, update, error),
    },
    signal,
    yieldEvery: 1,
    yieldFn,
  });
  return { kind, model, optimizer, test, done };
}

/** Frees a run's tensors (call after its `done` settled). */
export function disposeRun(run: Run): void {
  run.model.dispose();
  run.optimizer.dispose();
  disposeResidentBatch(run.test);
}
