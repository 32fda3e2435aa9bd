import { argMax, cast, notEqual, oneHot, reshape, sum, tensor1d, tensor2d, tidy, type Scalar, type Tensor } from "@tensorflow/tfjs-core";
import { softmaxCrossEntropy } from "@dale-nn/core";
import type { HostBatch, Task } from "./task.js";

/** Options of {@link classificationTask}. */
export interface ClassificationTaskOptions {
  /** Name shown in reports; default "classification". */
  name?: string;
  /** Number of classes (>= 2). */
  numClasses: number;
  /** Width of one input row on the host, e.g. 784. */
  inputSize: number;
  /**
   * Shape of one example as the model sees it; default [inputSize]. [28, 28] turns a 784-pixel
   * image into 28 time steps of 28 inputs (row-wise sequential MNIST).
   */
  inputShape?: readonly number[];
}

function requireInteger(name: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new RangeError(`classificationTask: ${name} must be an integer >= ${min}; got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * A classification task on logits: loss = mean softmax cross-entropy
 * (1/B) Σ_b −log softmax(logits_b)[label_b] (`softmaxCrossEntropy` of `@dale-nn/core`: one fused
 * kernel on a backend that has it, else `tf.losses.softmaxCrossEntropy`), metric = error rate
 * (fraction of examples whose arg-max logit is not the label), as in Cornford et al. (2021), Sec. 5.
 *
 * @param options - classes, input size and shape
 * @returns a {@link Task}
 * @throws RangeError on a non-integer size or an input shape whose product differs from inputSize
 * @example
 * const task = classificationTask({ numClasses: 10, inputSize: 784 });
 */
export function classificationTask(options: ClassificationTaskOptions): Task {
  const numClasses = requireInteger("numClasses", options.numClasses, 2);
  const inputSize = requireInteger("inputSize", options.inputSize, 1);
  const inputShape = [...(options.inputShape ?? [inputSize])];
  const product = inputShape.reduce((a, b) => a * b, 1);
  if (product !== inputSize) {
    throw new RangeError(`classificationTask: inputShape [${inputShape.join(", ")}] has ${product} values; expected inputSize = ${inputSize}`);
  }
  return {
    name: options.name ?? "classification",
    kind: "classification",
    inputSize,
    inputShape,
    metricName: "error rate",
    toTensors(batch: HostBatch) {
      const { size } = batch;
      if (!batch.labels) throw new TypeError(`classificationTask: batch has no labels`);
      if (batch.x.length < size * inputSize) {
        throw new RangeError(`classificationTask: batch.x holds ${batch.x.length} values; expected at least size * inputSize = ${size * inputSize}`);
      }
      return tidy(() => {
        const flat = tensor2d(batch.x.subarray(0, size * inputSize), [size, inputSize]);
        const inputs = inputShape.length === 1 ? flat : reshape(flat, [size, ...inputShape]);
        const targets = tensor1d(batch.labels!.subarray(0, size), "int32");
        return { inputs, targets };
      });
    },
    loss(outputs: Tensor, targets: Tensor): Scalar {
      return tidy(() => softmaxCrossEntropy(oneHot(targets, numClasses), outputs));
    },
    errorSum(outputs: Tensor, targets: Tensor): Scalar {
      return tidy(() => sum(cast(notEqual(argMax(outputs, -1), targets), "float32")) as Scalar);
    },
  };
}
