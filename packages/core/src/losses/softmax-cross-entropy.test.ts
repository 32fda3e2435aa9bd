import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { softmaxCrossEntropy } from "./softmax-cross-entropy.js";
import { SOFTMAX_CROSS_ENTROPY_KERNEL, SOFTMAX_CROSS_ENTROPY_KERNEL_FAMILY, softmaxCrossEntropyKernelConfig } from "../kernels/softmax-cross-entropy-kernel.js";
import { versionedKernelName } from "../kernels/versioned-kernel-name.js";
import { withKernels } from "../test-support/failing-kernels.js";

interface CpuLike {
  data: { get(id: object): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: "float32", values: Float32Array): tf.TensorInfo;
}

/** A float64 JavaScript implementation of the contract on the cpu backend, to test the gradient config and the plumbing. */
const referenceKernel = softmaxCrossEntropyKernelConfig<CpuLike>("cpu", ({ inputs, backend }) => {
  const [B, C] = inputs.logits.shape as [number, number];
  const z = backend.data.get(inputs.logits.dataId).values as Float32Array;
  const t = backend.data.get(inputs.labels.dataId).values as Float32Array;
  const dlogits = new Float32Array(B * C);
  let total = 0;
  for (let b = 0; b < B; b++) {
    const row = Array.from(z.subarray(b * C, (b + 1) * C));
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
    for (let c = 0; c < C; c++) {
      total -= t[b * C + c]! * (row[c]! - lse);
      dlogits[b * C + c] = (Math.exp(row[c]! - lse) - t[b * C + c]!) / B;
    }
  }
  return { loss: backend.makeTensorInfo([], "float32", Float32Array.of(total / B)), dlogits: backend.makeTensorInfo([B, C], "float32", dlogits) };
});

const data = () =>
  tf.tidy(() => ({
    logits: tf.randomNormal([5, 4], 0, 2, "float32", 1) as tf.Tensor2D,
    labels: tf.softmax(tf.randomNormal([5, 4], 0, 1, "float32", 2)) as tf.Tensor2D,
  }));

/** Loss and the gradients (labels, logits) of L = 3 · loss, as host numbers. */
const numbers = (loss: (t: tf.Tensor, z: tf.Tensor) => tf.Scalar) =>
  tf.tidy(() => {
    const { logits, labels } = data();
    const { value, grads } = tf.valueAndGrads((t: tf.Tensor, z: tf.Tensor) => tf.mul(loss(t, z), 3) as tf.Scalar)([labels, logits]);
    return [value, ...grads].map((g) => Array.from(g.dataSync()));
  });

const tfjs = (t: tf.Tensor, z: tf.Tensor) => tf.losses.softmaxCrossEntropy(t, z) as tf.Scalar;

describe("softmaxCrossEntropy(labels, logits)", () => {
  useBackendWithLeakCheck("cpu");

  it("on a backend without the kernel (cpu) is tf.losses.softmaxCrossEntropy, value and gradients", () => {
    expect(numbers(softmaxCrossEntropy)).toEqual(numbers(tfjs));
  });

  it("on a backend with version 0 of the kernel uses tf.losses.softmaxCrossEntropy and gives its numbers", () => {
    const separate = numbers(tfjs);
    expect(withKernels([versionedKernelName(SOFTMAX_CROSS_ENTROPY_KERNEL_FAMILY, 0)], () => numbers(softmaxCrossEntropy))).toEqual(separate);
  });

  it("calls this version of the kernel when the backend has it (so the checks above are not vacuous)", () => {
    const { logits, labels } = data();
    expect(() => withKernels([SOFTMAX_CROSS_ENTROPY_KERNEL], () => tf.tidy(() => softmaxCrossEntropy(labels, logits)))).toThrow(`${SOFTMAX_CROSS_ENTROPY_KERNEL} must not be called`);
    tf.dispose([logits, labels]);
  });

  it("through a kernel: dL/dlogits = dy · dlogits and dL/dlabels = −log_softmax(logits) · dy / B, and dlogits is not leaked", () => {
    const [value, dLabels, dLogits] = withKernels([referenceKernel], () => numbers(softmaxCrossEntropy));
    const [tfValue, , tfLogits] = numbers(tfjs);
    expect(value![0]).toBeCloseTo(tfValue![0]!, 5);
    dLogits!.forEach((g, i) => expect(g, `dlogits ${i}`).toBeCloseTo(tfLogits![i]!, 6));
    const expected = tf.tidy(() => Array.from(tf.mul(tf.neg(tf.logSoftmax(data().logits)), 3 / 5).dataSync()));
    dLabels!.forEach((g, i) => expect(g, `dlabels ${i}`).toBeCloseTo(expected[i]!, 6));
    // A forward pass alone leaves only the loss.
    const n = tf.memory().numTensors;
    const { logits, labels } = data();
    const loss = withKernels([referenceKernel], () => softmaxCrossEntropy(labels, logits));
    expect(tf.memory().numTensors).toBe(n + 3);
    tf.dispose([loss, logits, labels]);
  });

  it("casts int32 one-hot labels (tf.oneHot's) to float32 for the kernel", () => {
    const run = (int: boolean) =>
      withKernels([referenceKernel], () =>
        tf.tidy(() => {
          const labels = tf.oneHot(tf.tensor1d([0, 3, 1], "int32"), 4);
          return Array.from(softmaxCrossEntropy(int ? labels : tf.cast(labels, "float32"), tf.randomNormal([3, 4], 0, 1, "float32", 3)).dataSync());
        }),
      );
    expect(run(true)).toEqual(run(false));
  });

  it("rejects labels and logits of different shapes, naming both", () => {
    expect(() => tf.tidy(() => softmaxCrossEntropy(tf.zeros([2, 3]), tf.zeros([2, 4])))).toThrow(new RangeError("softmaxCrossEntropy: labels shape [2, 3] must equal logits shape [2, 4]"));
  });
});
