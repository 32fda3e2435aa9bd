import * as tf from "@tensorflow/tfjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BATCH_NORM_GRAD_KERNEL, BATCH_NORM_KERNEL, BATCH_NORM_KERNEL_FAMILY, versionedKernelName } from "@dale-nn/core";
import { convBatchNorm, movingAverage, type ConvBatchNormParams } from "./conv-batch-norm.js";
import { StandardConvRnn } from "./standard-conv-rnn-layer.js";
// Test code only, never packaged.
import { withKernels } from "../../core/src/test-support/failing-kernels.js";

const params = (c: number): ConvBatchNormParams => ({
  gamma: tf.randomUniform([c], 0.5, 1.5, "float32", 1) as tf.Tensor1D,
  beta: tf.randomUniform([c], -1, 1, "float32", 2) as tf.Tensor1D,
  movingMean: tf.randomUniform([c], -1, 1, "float32", 3) as tf.Tensor1D,
  movingVariance: tf.randomUniform([c], 0.5, 2, "float32", 4) as tf.Tensor1D,
});

describe("convBatchNorm", () => {
  let before = 0;
  beforeEach(async () => {
    await tf.setBackend("cpu");
    before = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(before);
  });

  it("convBatchNorm(x, params, true) normalises with the biased batch statistics over batch and both spatial axes and returns them; false uses the moving ones", () => {
    tf.tidy(() => {
      const x = tf.randomNormal([3, 4, 5, 6], 0.5, 2, "float32", 5) as tf.Tensor4D;
      const p = params(6);
      const { y, batchStatistics } = convBatchNorm(x, p, true, 1e-3);
      const xs = x.arraySync().flat(2) as number[][];
      const mean = Array.from({ length: 6 }, (_, c) => xs.reduce((s, v) => s + v[c]!, 0) / xs.length);
      const variance = Array.from({ length: 6 }, (_, c) => xs.reduce((s, v) => s + (v[c]! - mean[c]!) ** 2, 0) / xs.length);
      const g = p.gamma.arraySync();
      const b = p.beta.arraySync();
      const expected = xs.map((v) => v.map((value, c) => (g[c]! * (value - mean[c]!)) / Math.sqrt(variance[c]! + 1e-3) + b[c]!));
      const got = y.arraySync().flat(2) as number[][];
      got.forEach((row, i) => row.forEach((value, c) => expect(value).toBeCloseTo(expected[i]![c]!, 5)));
      batchStatistics!.mean.arraySync().forEach((m, c) => expect(m).toBeCloseTo(mean[c]!, 5));
      batchStatistics!.variance.arraySync().forEach((v, c) => expect(v).toBeCloseTo(variance[c]!, 5));
      const inference = convBatchNorm(x, p, false, 1e-3);
      expect(inference.batchStatistics).toBeNull();
      const mm = p.movingMean.arraySync();
      const mv = p.movingVariance.arraySync();
      (inference.y.arraySync().flat(2) as number[][]).forEach((row, i) => row.forEach((value, c) => expect(value).toBeCloseTo((g[c]! * (xs[i]![c]! - mm[c]!)) / Math.sqrt(mv[c]! + 1e-3) + b[c]!, 5)));
      expect(movingAverage(tf.tensor1d([1, 2]), tf.tensor1d([3, 6]), 0.75).arraySync()).toEqual([1.5, 3]);
    });
  });

  it(`in training mode convBatchNorm (and StandardConvRnn) calls ${BATCH_NORM_KERNEL} when the backend has this version of it; inference, fused: false and version 0 use the separate ops`, () => {
    const x = () => tf.randomNormal([2, 3, 3, 4], 0, 1, "float32", 6) as tf.Tensor4D;
    const v1 = [BATCH_NORM_KERNEL, BATCH_NORM_GRAD_KERNEL];
    const v0 = [versionedKernelName(BATCH_NORM_KERNEL_FAMILY, 0), versionedKernelName(`${BATCH_NORM_KERNEL_FAMILY}Grad`, 0)];
    expect(() => withKernels(v1, () => tf.tidy(() => convBatchNorm(x(), params(4), true).y))).toThrow(`${BATCH_NORM_KERNEL} must not be called`);
    const layer = new StandardConvRnn({ principalChannels: 4, inputGateChannels: 2, outputGateChannels: 2, timeSteps: 2, seed: 0 });
    tf.tidy(() => {
      layer.apply(x()); // builds it
    });
    expect(() => withKernels(v1, () => tf.tidy(() => layer.apply(x(), { training: true }) as tf.Tensor))).toThrow(`${BATCH_NORM_KERNEL} must not be called`);
    const separate = tf.tidy(() => convBatchNorm(x(), params(4), true).y.arraySync());
    for (const [label, run] of [
      ["inference", () => convBatchNorm(x(), params(4), false).y],
      ["fused: false", () => convBatchNorm(x(), params(4), true, undefined, { fused: false }).y],
    ] as const) {
      expect(() => withKernels(v1, () => tf.tidy(() => void run())), label).not.toThrow();
    }
    expect(withKernels(v0, () => tf.tidy(() => convBatchNorm(x(), params(4), true).y.arraySync()))).toEqual(separate);
    expect(withKernels(v1, () => tf.tidy(() => (layer.apply(x()) as tf.Tensor).shape))).toEqual([2, 3, 3, 4]);
    layer.dispose();
  });
});
