import * as tf from "@tensorflow/tfjs";
import { softmaxCrossEntropy } from "@dale-nn/core";
import { buildPaperNetwork, buildRecurrentNetwork } from "@dale-nn/ei-layers";
import { dannUpdateCorrection } from "@dale-nn/fisher-correction";
import { ProjectedSGD } from "@dale-nn/projected-sgd";
import { FEEDFORWARD_SHAPE, RECURRENT_SHAPE, type TrainingWorkload } from "./perf-flops.js";

/** Every workload name `--workloads` accepts ("spectra" is the eigenvalue / singular-value timing). */
export const PERF_WORKLOADS = ["mlp", "dann", "rnn", "spectra"] as const;
/** A `--workloads` entry. */
export type PerfWorkload = (typeof PERF_WORKLOADS)[number];
/** The training workloads, in the order they run. */
export const TRAINING_WORKLOADS: readonly TrainingWorkload[] = ["mlp", "dann", "rnn"];

/** One of our training workloads, built on the current tfjs backend. */
export interface OurWorkload {
  /** One training step: forward, softmax cross-entropy, backward, projected SGD update; reads nothing back. */
  step(): void;
  /** Disposes the model, the optimizer's state and the data. */
  dispose(): void;
}

/**
 * Builds a training workload of ours on the current backend, as `dale-bench ffwd` / `rnn` train it:
 *
 * - `mlp`: `buildPaperNetwork({ kind: "mlp" })` (784 - 3 x 500 - 10, ReLU), `ProjectedSGD` lr 0.01;
 * - `dann`: `buildPaperNetwork({ kind: "dann" })` (3 x (500 E, 50 I), output 10 E / 1 I), `ProjectedSGD`
 *   lr 0.01 with the DANN update correction (Cornford et al. 2021, Sec. 4);
 * - `rnn`: `buildRecurrentNetwork({ kind: "standard" })` (one ReLU layer of 100 units over 28 steps of
 *   28 inputs, readout 100 -> 10 from the last state, full BPTT), `ProjectedSGD` lr 0.01.
 *
 * Inputs are uniform in [0, 1) and labels uniform integers in [0, 10), drawn once (seeded). The
 * loss is `softmaxCrossEntropy` of `@dale-nn/core` (the fused kernel where the backend has it).
 *
 * @param workload - "mlp", "dann" or "rnn"
 * @param batch - samples per step
 * @returns the step function and a dispose function
 * @example
 * const w = buildOurWorkload("mlp", 32);
 * w.step();
 * w.dispose();
 */
export function buildOurWorkload(workload: TrainingWorkload, batch: number): OurWorkload {
  const model =
    workload === "rnn"
      ? buildRecurrentNetwork({ kind: "standard", seed: 0 })
      : buildPaperNetwork({ kind: workload, seed: 0, inputMean: 0.1307 });
  const optimizer = new ProjectedSGD({ learningRate: 0.01, ...(workload === "dann" ? { transforms: [dannUpdateCorrection()] } : {}) });
  const shape = workload === "rnn" ? [batch, RECURRENT_SHAPE.steps, RECURRENT_SHAPE.inputs] : [batch, FEEDFORWARD_SHAPE.inputs];
  const classes = FEEDFORWARD_SHAPE.outputs;
  const x = tf.randomUniform(shape, 0, 1, "float32", 1);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([batch], 0, classes, "int32", 2) as tf.Tensor1D, classes));
  const step = (): void => {
    tf.tidy(() => {
      const loss = optimizer.minimize(() => softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor), true);
      loss?.dispose();
    });
  };
  const dispose = (): void => {
    optimizer.dispose();
    model.dispose();
    tf.dispose([x, y]);
  };
  return { step, dispose };
}
