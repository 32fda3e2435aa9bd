import * as tf from "@tensorflow/tfjs";
import { softmaxCrossEntropy } from "@dale-nn/core";
import { buildConvEiNetwork } from "@dale-nn/ei-conv";
import { buildPaperNetwork, buildRecurrentNetwork, CtEiRnn } from "@dale-nn/ei-layers";
import { dannUpdateCorrection } from "@dale-nn/fisher-correction";
import { ProjectedSGD, projectedAdam, projectedMomentum } from "@dale-nn/projected-sgd";
import { maskedMse } from "@dale-nn/tasks";
import { CONV_NETWORK, CT_RNN_SHAPE, FEEDFORWARD_SHAPE, RECURRENT_SHAPE, type TrainingWorkload } from "./perf-flops.js";

/** Every workload name `--workloads` accepts ("spectra" is the eigenvalue / singular-value timing). */
export const PERF_WORKLOADS = ["mlp", "dann", "rnn", "ctrnn", "conv", "spectra"] as const;
/** A `--workloads` entry. */
export type PerfWorkload = (typeof PERF_WORKLOADS)[number];
/** What `--workloads` runs when not given: all but `conv` (seconds per step; ask for it). */
export const DEFAULT_PERF_WORKLOADS: readonly PerfWorkload[] = ["mlp", "dann", "rnn", "ctrnn", "spectra"];
/** The training workloads, in the order they run. */
export const TRAINING_WORKLOADS: readonly TrainingWorkload[] = ["mlp", "dann", "rnn", "ctrnn", "conv"];

/** One of our training workloads, built on the current tfjs backend. */
export interface OurWorkload {
  /** One training step: forward, loss, backward, projected update; reads nothing back. */
  step(): void;
  /** Disposes the model, the optimizer's state and the data. */
  dispose(): void;
}

/**
 * The `ctrnn` workload: a continuous-time Dale E/I RNN as `CtEiRnn` builds it (W_rec = |W̃| ⊙ C ·
 * diag(s), 80 E / 20 I, no autapses, pycog initialisation; W_in = |W̃_in|; readout from the E
 * units at every step), dt 20 ms, τ 100 ms (α = 0.2), ReLU, noise off, 50 steps of 3 inputs to 3
 * outputs, trained with `projectedAdam` (lr 1e-3) on the tasks package's `maskedMse` over every
 * step. Inputs uniform in [0, 1), targets uniform in [0, 1), drawn once (seeded); mask all ones, one per output.
 */
function buildCtRnnWorkload(batch: number): OurWorkload {
  const { steps, inputs, units, outputs, excitatory, dt, tau } = CT_RNN_SHAPE;
  const model = tf.sequential({
    layers: [
      new CtEiRnn({
        units, outputs, kind: "dale", excitatoryFraction: excitatory / units, dt, tau, activation: "relu",
        recurrentNoise: 0, inputNoise: 0, noise: false, seed: 0, inputShape: [steps, inputs],
      }),
    ],
  });
  const optimizer = projectedAdam({ learningRate: 1e-3 });
  const x = tf.randomUniform([batch, steps, inputs], 0, 1, "float32", 1);
  const y = tf.randomUniform([batch, steps, outputs], 0, 1, "float32", 2);
  // One mask value per output, as batchTrials makes it (a per-step [B, T] mask would add a Tile).
  const mask = tf.ones([batch, steps, outputs]);
  const step = (): void => {
    tf.tidy(() => {
      const loss = optimizer.minimize(() => maskedMse(model.apply(x, { training: true }) as tf.Tensor, y, mask), true);
      loss?.dispose();
    });
  };
  const dispose = (): void => {
    optimizer.dispose();
    model.dispose();
    tf.dispose([x, y, mask]);
  };
  return { step, dispose };
}

/**
 * The `conv` workload: paper 002's CIFAR-10 Standard network as `dale-bench conv` trains it
 * ({@link CONV_NETWORK} built by `buildConvEiNetwork`: 3 × 3 convs and BatchNorm in areas 1-2,
 * Standard cells with |W̃| depthwise-separable convs and BatchNorm per step in areas 3-4, 4 steps,
 * 107,098 parameters), one `projectedMomentum` step (lr 0.1, momentum 0.9) on the softmax
 * cross-entropy of a batch of 32 × 32 × 3 images, in training mode (batch statistics, moving
 * averages updated). Inputs standard normal (what per-image standardisation gives), labels
 * uniform in [0, 10), drawn once (seeded). No L2 term and no augmentation: the network's work only.
 */
function buildConvWorkload(batch: number): OurWorkload {
  const model = buildConvEiNetwork(CONV_NETWORK);
  const optimizer = projectedMomentum({ learningRate: 0.1, momentum: 0.9 });
  const [h, w, c] = CONV_NETWORK.inputShape;
  const x = tf.randomNormal([batch, h, w, c], 0, 1, "float32", 1);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([batch], 0, CONV_NETWORK.classes, "int32", 2) as tf.Tensor1D, CONV_NETWORK.classes));
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

/**
 * Builds a training workload of ours on the current backend, as `dale-bench ffwd` / `rnn` / `mix` / `conv` train it:
 *
 * - `mlp`: `buildPaperNetwork({ kind: "mlp" })` (784 - 3 x 500 - 10, ReLU), `ProjectedSGD` lr 0.01;
 * - `dann`: `buildPaperNetwork({ kind: "dann" })` (3 x (500 E, 50 I), output 10 E / 1 I), `ProjectedSGD`
 *   lr 0.01 with the DANN update correction (Cornford et al. 2021, Sec. 4);
 * - `rnn`: `buildRecurrentNetwork({ kind: "standard" })` (one ReLU layer of 100 units over 28 steps of
 *   28 inputs, readout 100 -> 10 from the last state, full BPTT), `ProjectedSGD` lr 0.01;
 * - `ctrnn`: a Dale `CtEiRnn` (100 units, 80 E / 20 I, dt 20 ms, τ 100 ms, ReLU, noise off) over 50
 *   steps of 3 inputs, readout to 3 outputs at every step, `projectedAdam` lr 1e-3 on `maskedMse`
 *   over all steps (see {@link CT_RNN_SHAPE}).
 * - `conv`: paper 002's CIFAR-10 Standard network, `projectedMomentum` lr 0.1, momentum 0.9 (see
 *   {@link buildConvWorkload}).
 *
 * The classification workloads take inputs uniform in [0, 1) and labels uniform integers in
 * [0, 10), with `softmaxCrossEntropy` of `@dale-nn/core` (the fused kernel where the backend has
 * it); `ctrnn` takes uniform inputs and targets. All drawn once (seeded).
 *
 * @param workload - "mlp", "dann", "rnn", "ctrnn" or "conv"
 * @param batch - samples per step
 * @returns the step function and a dispose function
 * @example
 * const w = buildOurWorkload("mlp", 32);
 * w.step();
 * w.dispose();
 */
export function buildOurWorkload(workload: TrainingWorkload, batch: number): OurWorkload {
  if (workload === "ctrnn") return buildCtRnnWorkload(batch);
  if (workload === "conv") return buildConvWorkload(batch);
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
