import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { DANN_DENSE_GRAD_KERNEL, DANN_DENSE_KERNEL, DANN_DENSE_KERNEL_FAMILY, isDannDenseAvailable, runDannDenseKernel } from "./dann-dense-kernel.js";
import { isReluRnnAvailable, RELU_RNN_KERNEL_FAMILY } from "./relu-rnn-kernel.js";
import { isReluRnnV2Available } from "./relu-rnn-v2-kernel.js";
import { CT_RNN_GRAD_KERNEL, CT_RNN_KERNEL, CT_RNN_KERNEL_FAMILY, isCtRnnAvailable } from "./ct-rnn-kernel.js";
import { isBackoffCosineSumsAvailable } from "./backoff-cosine-sums-kernel.js";
import { isProjectedSgdStepAvailable, PROJECTED_SGD_STEP_KERNEL, PROJECTED_SGD_STEP_KERNEL_FAMILY, runProjectedSgdStepKernel } from "./projected-sgd-step-kernel.js";
import { DENSE_GRAD_KERNEL, DENSE_KERNEL, DENSE_KERNEL_FAMILY, isDenseAvailable, runDenseKernel, type DenseActivation } from "./dense-kernel.js";
import { isSoftmaxCrossEntropyAvailable, SOFTMAX_CROSS_ENTROPY_KERNEL, SOFTMAX_CROSS_ENTROPY_KERNEL_FAMILY } from "./softmax-cross-entropy-kernel.js";
import { registeredKernelVersions, versionedKernelName } from "./versioned-kernel-name.js";
import { typedKernelConfig } from "./typed-kernel.js";
import { withKernels } from "../test-support/failing-kernels.js";
import { BATCH_NORM_GRAD_KERNEL, BATCH_NORM_KERNEL, BATCH_NORM_KERNEL_FAMILY, batchNormKernelConfigs, isBatchNormAvailable, runBatchNormKernel } from "./batch-norm-kernel.js";

describe("fused-kernel contracts", () => {
  useBackendWithLeakCheck("cpu");

  it("versionedKernelName(family, 1) is `${family}_v1` and rejects a bad family or version, naming it", () => {
    expect(versionedKernelName("Fam", 1)).toBe("Fam_v1");
    expect(DANN_DENSE_KERNEL).toBe(versionedKernelName(DANN_DENSE_KERNEL_FAMILY, 1));
    expect(() => versionedKernelName("", 1)).toThrow(/family must be a non-empty string without "_v"; got ""/);
    expect(() => versionedKernelName("Fam", -1)).toThrow(/version must be an integer >= 0; got -1/);
  });

  it("the cpu backend lacks every fused kernel: isDannDenseAvailable(), isReluRnnAvailable(), isReluRnnV2Available(), isCtRnnAvailable(), isProjectedSgdStepAvailable(), isDenseAvailable(), isSoftmaxCrossEntropyAvailable() are false", () => {
    expect(isDannDenseAvailable()).toBe(false);
    expect(isReluRnnAvailable()).toBe(false);
    expect(isReluRnnV2Available()).toBe(false);
    expect(isCtRnnAvailable()).toBe(false);
    expect(isProjectedSgdStepAvailable()).toBe(false);
    expect(isDenseAvailable()).toBe(false);
    expect(isSoftmaxCrossEntropyAvailable()).toBe(false);
    expect(isBackoffCosineSumsAvailable()).toBe(false);
  });

  it("DENSE_KERNEL is \"DaleDense_v1\" (gradient \"DaleDenseGrad_v1\"), SOFTMAX_CROSS_ENTROPY_KERNEL \"DaleSoftmaxCrossEntropy_v1\"; version 0 of either does not count", () => {
    expect([DENSE_KERNEL, DENSE_GRAD_KERNEL, SOFTMAX_CROSS_ENTROPY_KERNEL]).toEqual(["DaleDense_v1", "DaleDenseGrad_v1", "DaleSoftmaxCrossEntropy_v1"]);
    const v0 = [versionedKernelName(DENSE_KERNEL_FAMILY, 0), versionedKernelName(`${DENSE_KERNEL_FAMILY}Grad`, 0), versionedKernelName(SOFTMAX_CROSS_ENTROPY_KERNEL_FAMILY, 0)];
    withKernels(v0, () => {
      expect(isDenseAvailable()).toBe(false);
      expect(isSoftmaxCrossEntropyAvailable()).toBe(false);
      expect(registeredKernelVersions(DENSE_KERNEL_FAMILY)).toEqual([0]);
    });
    withKernels([DENSE_KERNEL], () => expect(isDenseAvailable()).toBe(false));
    withKernels([DENSE_KERNEL, DENSE_GRAD_KERNEL], () => expect(isDenseAvailable()).toBe(true));
    withKernels([SOFTMAX_CROSS_ENTROPY_KERNEL], () => expect(isSoftmaxCrossEntropyAvailable()).toBe(true));
  });

  it("runDenseKernel rejects an unknown activation before calling the backend, naming it and the expectation", () => {
    withKernels([DENSE_KERNEL, DENSE_GRAD_KERNEL], () => {
      expect(() => tf.tidy(() => runDenseKernel({ x: tf.zeros([1, 2]), w: tf.zeros([3, 2]), b: tf.zeros([3]) } as never, { activation: "softmax" as DenseActivation }))).toThrow(
        new TypeError(`${DENSE_KERNEL}: unknown activation "softmax"; expected one of linear, relu`),
      );
      expect(() => tf.tidy(() => runDenseKernel({ x: tf.zeros([1, 2]), w: tf.zeros([3, 2]), b: tf.zeros([3]) } as never, { activation: "relu" }))).toThrow(`${DENSE_KERNEL} must not be called`);
    });
  });

  it("a backend with version 0 of a kernel does not count as having version 1; registeredKernelVersions lists 0", () => {
    const v0 = [versionedKernelName(DANN_DENSE_KERNEL_FAMILY, 0), versionedKernelName(`${DANN_DENSE_KERNEL_FAMILY}Grad`, 0), versionedKernelName(RELU_RNN_KERNEL_FAMILY, 0), versionedKernelName(`${RELU_RNN_KERNEL_FAMILY}Grad`, 0), versionedKernelName(CT_RNN_KERNEL_FAMILY, 0), versionedKernelName(`${CT_RNN_KERNEL_FAMILY}Grad`, 0), versionedKernelName(PROJECTED_SGD_STEP_KERNEL_FAMILY, 0)];
    withKernels(v0, () => {
      expect(isDannDenseAvailable()).toBe(false);
      expect(isReluRnnAvailable()).toBe(false);
      expect(isCtRnnAvailable()).toBe(false);
      expect(registeredKernelVersions(CT_RNN_KERNEL_FAMILY)).toEqual([0]);
      expect(isProjectedSgdStepAvailable()).toBe(false);
      expect(registeredKernelVersions(DANN_DENSE_KERNEL_FAMILY)).toEqual([0]);
      expect(registeredKernelVersions(PROJECTED_SGD_STEP_KERNEL_FAMILY, "cpu")).toEqual([0]);
    });
  });

  it("a forward kernel without its gradient kernel does not count as available", () => {
    withKernels([DANN_DENSE_KERNEL], () => expect(isDannDenseAvailable()).toBe(false));
    withKernels([DANN_DENSE_KERNEL, DANN_DENSE_GRAD_KERNEL], () => expect(isDannDenseAvailable()).toBe(true));
    withKernels([CT_RNN_KERNEL], () => expect(isCtRnnAvailable()).toBe(false));
    withKernels([CT_RNN_KERNEL, CT_RNN_GRAD_KERNEL], () => expect(isCtRnnAvailable()).toBe(true));
  });

  it("runProjectedSgdStepKernel passes typed inputs and attrs to a typedKernelConfig implementation and names its output", () => {
    const impl = typedKernelConfig<{ w: tf.TensorInfo; g: tf.TensorInfo; lr: tf.TensorInfo }, { projection: string }, { updated: tf.TensorInfo }, { makeTensorInfo(s: number[], d: string, v: Float32Array): tf.TensorInfo }>(
      PROJECTED_SGD_STEP_KERNEL,
      "cpu",
      ["updated"],
      ({ inputs, attrs, backend }) => {
        expect(attrs.projection).toBe("nonneg");
        expect(inputs.w.shape).toEqual([3]);
        return { updated: backend.makeTensorInfo([3], "float32", new Float32Array([7, 8, 9])) };
      },
    );
    withKernels([impl], () => {
      const out = tf.tidy(() => runProjectedSgdStepKernel({ w: tf.zeros([3]), g: tf.zeros([3]), lr: tf.scalar(1) }, { projection: "nonneg" }).updated);
      expect(Array.from(out.dataSync())).toEqual([7, 8, 9]);
      out.dispose();
    });
  });

  it("runDannDenseKernel names the four outputs in contract order", () => {
    const impl: tf.KernelConfig = typedKernelConfig<{ x: tf.TensorInfo }, { eps: number }, { z: tf.TensorInfo; c: tf.TensorInfo; gamma: tf.TensorInfo; zI: tf.TensorInfo }, { makeTensorInfo(s: number[], d: string, v: Float32Array): tf.TensorInfo }>(
      DANN_DENSE_KERNEL,
      "cpu",
      ["z", "c", "gamma", "zI"],
      ({ backend, attrs }) => {
        const t = (v: number) => backend.makeTensorInfo([1, 1], "float32", new Float32Array([v]));
        return { z: t(1), c: t(2), gamma: t(3), zI: t(attrs.eps) };
      },
    );
    withKernels([impl], () => {
      const values = tf.tidy(() => {
        const m = tf.zeros([1, 1]) as tf.Tensor2D;
        const v = tf.zeros([1]) as tf.Tensor1D;
        const out = runDannDenseKernel({ x: m, wEE: m, wIE: m, wEI: m, alpha: v, g: v, beta: v }, { eps: 4 });
        return [out.z, out.c, out.gamma, out.zI].map((t) => t.dataSync()[0]);
      });
      expect(values).toEqual([1, 2, 3, 4]);
    });
  });

  it("BATCH_NORM_KERNEL is \"DaleBatchNorm_v1\" (gradient \"DaleBatchNormGrad_v1\"): available only with both kernels of this version; runBatchNormKernel rejects ε <= 0 before calling the backend", () => {
    expect([BATCH_NORM_KERNEL, BATCH_NORM_GRAD_KERNEL]).toEqual(["DaleBatchNorm_v1", "DaleBatchNormGrad_v1"]);
    expect(isBatchNormAvailable()).toBe(false);
    withKernels([versionedKernelName(BATCH_NORM_KERNEL_FAMILY, 0), versionedKernelName(`${BATCH_NORM_KERNEL_FAMILY}Grad`, 0)], () => expect(isBatchNormAvailable()).toBe(false));
    withKernels([BATCH_NORM_KERNEL], () => expect(isBatchNormAvailable()).toBe(false));
    withKernels([BATCH_NORM_KERNEL, BATCH_NORM_GRAD_KERNEL], () => {
      expect(isBatchNormAvailable()).toBe(true);
      const inputs = () => ({ x: tf.zeros([2, 3]), gamma: tf.ones([3]) as tf.Tensor1D, beta: tf.zeros([3]) as tf.Tensor1D });
      for (const epsilon of [0, -1, Number.NaN]) expect(() => tf.tidy(() => runBatchNormKernel(inputs(), { epsilon }))).toThrow(new RangeError(`${BATCH_NORM_KERNEL}: epsilon must be a finite number > 0; got ${epsilon}`));
      expect(() => tf.tidy(() => runBatchNormKernel(inputs(), { epsilon: 1e-5 }))).toThrow(`${BATCH_NORM_KERNEL} must not be called`);
    });
  });

  it("the gradient of BATCH_NORM_KERNEL runs the gradient kernel once with dy and the statistics' upstream gradients (zeros when unused) and hands out dx, dγ, dβ", () => {
    type Backend = { makeTensorInfo(s: number[], d: string, v: Float32Array): tf.TensorInfo; readSync(id: object): unknown };
    const seen: Array<{ dmean: number[]; dvariance: number[] }> = [];
    const configs = batchNormKernelConfigs<Backend>("cpu", {
      // A stand-in: y = x, μ = 1, σ² = 2 per channel.
      forward: ({ inputs, backend }) => ({
        y: backend.makeTensorInfo(inputs.x.shape, "float32", Float32Array.from(backend.readSync(inputs.x.dataId) as Float32Array)),
        mean: backend.makeTensorInfo([3], "float32", new Float32Array(3).fill(1)),
        variance: backend.makeTensorInfo([3], "float32", new Float32Array(3).fill(2)),
      }),
      // dx = dy + dmean (broadcast), dγ = dvariance, dβ = 7.
      gradient: ({ inputs, backend }) => {
        const read = (t: tf.TensorInfo) => Array.from(backend.readSync(t.dataId) as Float32Array);
        seen.push({ dmean: read(inputs.dmean), dvariance: read(inputs.dvariance) });
        const dy = read(inputs.dy);
        const dm = read(inputs.dmean);
        return {
          dx: backend.makeTensorInfo(inputs.x.shape, "float32", Float32Array.from(dy, (v, i) => v + dm[i % 3]!)),
          dgamma: backend.makeTensorInfo([3], "float32", Float32Array.from(read(inputs.dvariance))),
          dbeta: backend.makeTensorInfo([3], "float32", new Float32Array(3).fill(7)),
        };
      },
    });
    withKernels(configs, () => {
      const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
      const gamma = tf.ones([3]) as tf.Tensor1D;
      const beta = tf.zeros([3]) as tf.Tensor1D;
      const onlyY = tf.tidy(() => tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(runBatchNormKernel({ x: a, gamma: g as tf.Tensor1D, beta: b as tf.Tensor1D }, { epsilon: 1e-5 }).y))([x, gamma, beta]).map((t) => Array.from(t.dataSync())));
      expect(onlyY).toEqual([[1, 1, 1, 1, 1, 1], [0, 0, 0], [7, 7, 7]]);
      expect(seen).toEqual([{ dmean: [0, 0, 0], dvariance: [0, 0, 0] }]);
      const all = tf.tidy(() =>
        tf.grads((a: tf.Tensor) => {
          const o = runBatchNormKernel({ x: a, gamma, beta }, { epsilon: 1e-5 });
          return tf.addN([tf.sum(o.y), tf.sum(tf.mul(o.mean, 2)), tf.sum(tf.mul(o.variance, 3))]) as tf.Scalar;
        })([x]).map((t) => Array.from(t.dataSync())),
      );
      expect(all).toEqual([[3, 3, 3, 3, 3, 3]]);
      expect(seen[1]).toEqual({ dmean: [2, 2, 2], dvariance: [3, 3, 3] });
      tf.dispose([x, gamma, beta]);
    });
  });
});
