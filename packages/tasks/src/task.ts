import type { Scalar, Tensor } from "@tensorflow/tfjs-core";

/** A batch on the host: one example per row of `x`; the first `size` rows are filled. */
export interface HostBatch {
  /** Inputs, row-major, `size * inputSize` values used (the buffer may be longer and reused). */
  readonly x: Float32Array;
  /** Class labels (classification) for the first `size` rows. */
  readonly labels?: Int32Array;
  /** Real-valued targets (regression), `size * targetSize` values used. */
  readonly targets?: Float32Array;
  /** Number of examples in this batch. */
  readonly size: number;
  /**
   * Time steps per example, for sequence tasks whose length changes from batch to batch (trial
   * tasks pad each batch to its longest trial); absent for fixed-shape tasks.
   */
  readonly steps?: number;
}

/** The kinds of task dale-nn defines. */
export type TaskKind = "classification" | "regression" | "trial";

/**
 * A task: how a host batch becomes tensors, which loss is minimised and which error metric is
 * reported. The training loop in `@dale-nn/train` works with any task.
 */
export interface Task {
  readonly name: string;
  readonly kind: TaskKind;
  /** Width of one input row on the host. */
  readonly inputSize: number;
  /** Shape of one example as the model sees it (e.g. [784], or [28, 28] for row-wise sequences). */
  readonly inputShape: readonly number[];
  /** Name of the error metric, e.g. "error rate" or "MSE". */
  readonly metricName: string;
  /**
   * Uploads a host batch: inputs shaped [size, ...inputShape] (trial tasks: [size, batch.steps, nIn]),
   * targets in the task's format (trial tasks pack the loss mask into them, see `trialTaskAdapter`).
   */
  toTensors(batch: HostBatch): { inputs: Tensor; targets: Tensor };
  /** The mean loss over the batch (what the optimiser minimises). */
  loss(outputs: Tensor, targets: Tensor): Scalar;
  /** The sum of the per-example error metric over the batch (divide by the count for a mean). */
  errorSum(outputs: Tensor, targets: Tensor): Scalar;
}
