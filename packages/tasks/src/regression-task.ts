import { mean, reshape, square, sub, sum, tensor2d, tidy, type Scalar, type Tensor } from "@tensorflow/tfjs-core";
import type { HostBatch, Task } from "./task.js";

/** Options of {@link regressionTask}. */
export interface RegressionTaskOptions {
  name?: string;
  /** Width of one input row on the host. */
  inputSize: number;
  /** Shape of one example for the model, e.g. [20, 2] for the adding problem; default [inputSize]. */
  inputShape?: readonly number[];
  /** Target values per example; default 1. */
  targetSize?: number;
}

/**
 * A regression task: loss = mean squared error over the batch and target dimensions; the error
 * metric is the same MSE (summed per example by `errorSum`, so mean = errorSum / count), as used for
 * the adding problem (Li et al. 2023, App. 6.2.1).
 *
 * @throws RangeError on invalid sizes or a mismatched input shape
 * @example
 * const task = regressionTask({ inputSize: 40, inputShape: [20, 2] });
 */
export function regressionTask(options: RegressionTaskOptions): Task {
  const req = (name: string, v: unknown): number => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new RangeError(`regressionTask: ${name} must be an integer >= 1; got ${JSON.stringify(v)}`);
    return v;
  };
  const inputSize = req("inputSize", options.inputSize);
  const targetSize = req("targetSize", options.targetSize ?? 1);
  const inputShape = [...(options.inputShape ?? [inputSize])];
  const product = inputShape.reduce((a, b) => a * b, 1);
  if (product !== inputSize) throw new RangeError(`regressionTask: inputShape [${inputShape.join(", ")}] has ${product} values; expected inputSize = ${inputSize}`);
  return {
    name: options.name ?? "regression",
    kind: "regression",
    inputSize,
    inputShape,
    metricName: "MSE",
    toTensors(batch: HostBatch) {
      const { size } = batch;
      if (!batch.targets) throw new TypeError("regressionTask: batch has no targets");
      if (batch.x.length < size * inputSize) throw new RangeError(`regressionTask: batch.x holds ${batch.x.length} values; expected at least ${size * inputSize}`);
      return tidy(() => {
        const flat = tensor2d(batch.x.subarray(0, size * inputSize), [size, inputSize]);
        const inputs = inputShape.length === 1 ? flat : reshape(flat, [size, ...inputShape]);
        const targets = tensor2d(batch.targets!.subarray(0, size * targetSize), [size, targetSize]);
        return { inputs, targets };
      });
    },
    loss(outputs: Tensor, targets: Tensor): Scalar {
      return tidy(() => mean(square(sub(reshape(outputs, targets.shape), targets))) as Scalar);
    },
    errorSum(outputs: Tensor, targets: Tensor): Scalar {
      return tidy(() => sum(mean(square(sub(reshape(outputs, targets.shape), targets)), 1)) as Scalar);
    },
  };
}
