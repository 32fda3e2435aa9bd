import { add, keep, scalar, tidy, type Scalar } from "@tensorflow/tfjs-core";
import type { HostBatch, Task } from "@dale-nn/tasks";
import { singleOutput, type ModelLike } from "./model-like.js";

/**
 * The task's mean error over a stream of batches (e.g. the test set in batches of 1,000), with
 * the model in inference mode. Errors are summed on the device and read back once.
 *
 * @param model - the model
 * @param task - the task (its `errorSum`)
 * @param batches - host batches; buffers may be reused between batches
 * @returns `{ error, count }`: mean error per example and the number of examples
 * @throws RangeError when the stream is empty
 * @example
 * const { error } = evaluateError(model, task, iterateBatches(testView, { batchSize: 1000, shuffle: false }));
 */
export function evaluateError(model: ModelLike, task: Task, batches: Iterable<HostBatch>): { error: number; count: number } {
  let total: Scalar = keep(scalar(0));
  let count = 0;
  try {
    for (const batch of batches) {
      if (batch.size === 0) continue;
      const next = tidy(() => {
        const { inputs, targets } = task.toTensors(batch);
        const out = singleOutput(model.apply(inputs, { training: false }), "evaluateError");
        return add(total, task.errorSum(out, targets)) as Scalar;
      });
      total.dispose();
      total = keep(next);
      count += batch.size;
    }
    if (count === 0) throw new RangeError("evaluateError: the batch stream was empty; expected at least one example");
    return { error: (total.dataSync()[0] as number) / count, count };
  } finally {
    total.dispose();
  }
}
