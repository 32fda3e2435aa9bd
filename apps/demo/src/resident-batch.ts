import * as tf from "@tensorflow/tfjs";
import type { HostBatch, Task } from "@dale-nn/tasks";

/** A host batch whose tensors were uploaded once and stay on the backend. */
export interface ResidentBatch extends HostBatch {
  /** The batch as `task.toTensors` made it; owned by the batch (free with {@link disposeResidentBatch}). */
  readonly resident: { readonly inputs: tf.Tensor; readonly targets: tf.Tensor };
}

/** Whether `batch` is a {@link ResidentBatch}. */
export function isResidentBatch(batch: HostBatch): batch is ResidentBatch {
  return (batch as Partial<ResidentBatch>).resident !== undefined;
}

/**
 * Uploads a host batch once: the demo evaluates the same 1,000 test images every 25 updates, and
 * uploading them each time cost ~35 ms on software WebGL (3.5 ms on wasm). Keeps a copy of `x`
 * and the labels, since `iterateBatches` reuses its buffers.
 *
 * @param task - the task whose `toTensors` makes the tensors
 * @param batch - the batch (its buffers are copied)
 * @returns the batch with its tensors; free them with {@link disposeResidentBatch}
 * @example
 * const test = residentBatch(task, [...iterateBatches(testView, { batchSize: testView.count, shuffle: false })][0]);
 */
export function residentBatch(task: Task, batch: HostBatch): ResidentBatch {
  const copy: HostBatch = {
    x: batch.x.slice(0, batch.size * task.inputSize),
    size: batch.size,
    ...(batch.labels ? { labels: batch.labels.slice(0, batch.size) } : {}),
    ...(batch.targets ? { targets: batch.targets.slice() } : {}),
    ...(batch.steps !== undefined ? { steps: batch.steps } : {}),
  };
  const { inputs, targets } = task.toTensors(copy);
  return { ...copy, resident: { inputs: tf.keep(inputs), targets: tf.keep(targets) } };
}

/** Frees the tensors of a {@link ResidentBatch}. */
export function disposeResidentBatch(batch: ResidentBatch): void {
  batch.resident.inputs.dispose();
  batch.resident.targets.dispose();
}

/**
 * `task` with a `toTensors` that returns a {@link ResidentBatch}'s tensors (as clones, which share
 * the data and cost no copy) instead of uploading it again; other batches go to `task.toTensors`.
 * Same numbers as `task` for every batch.
 *
 * @param task - the task to wrap (its loss and errorSum are used as they are)
 * @returns the wrapped task
 * @example
 * trainModel({ task: withResidentBatches(task), evaluation: { batches: () => [test], everyUpdates: 25 }, ... });
 */
export function withResidentBatches(task: Task): Task {
  return {
    name: task.name,
    kind: task.kind,
    inputSize: task.inputSize,
    inputShape: task.inputShape,
    metricName: task.metricName,
    toTensors: (batch) => (isResidentBatch(batch) ? { inputs: batch.resident.inputs.clone(), targets: batch.resident.targets.clone() } : task.toTensors(batch)),
    loss: (outputs, targets) => task.loss(outputs, targets),
    errorSum: (outputs, targets) => task.errorSum(outputs, targets),
  };
}
