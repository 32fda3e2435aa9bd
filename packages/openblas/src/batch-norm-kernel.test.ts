import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BATCH_NORM_GRAD_KERNEL, BATCH_NORM_KERNEL, isBatchNormAvailable, runBatchNormKernel } from "@dale-nn/core";
import { maxRelativeDifference, on, openBlasForTests } from "./test-support/backends.js";
import { isNativeOutput, scaledError } from "./test-support/conv-reference.js";

const blas = openBlasForTests();

const rand = (shape: number[], seed: number, lo = -1, hi = 1): tf.Tensor => tf.randomUniform(shape, lo, hi, "float32", seed);

/**
 * Training-mode BatchNorm as separate ops (what @dale-nn/ei-conv's convBatchNorm does without the
 * kernel): tf.moments over all but the last axis, then γ (x − μ) / √(σ² + ε) + β.
 */
function separateBatchNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): { y: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor } {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  const y = tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon))), gamma), beta);
  return { y, mean, variance };
}

/** y, mean, variance and the gradients (x, γ, β) of Σ y ⊙ r + Σ μ ⊙ s + Σ σ² ⊙ u, fused or separate. */
const batchNormAndGrads = (shape: number[], fused: boolean, seed = 0, epsilon = 1e-5) => () => {
  const c = shape.at(-1)!;
  const x = rand(shape, seed + 1, -2, 3);
  const gamma = rand([c], seed + 2, 0.5, 1.5);
  const beta = rand([c], seed + 3);
  const r = rand(shape, seed + 4);
  const s = rand([c], seed + 5);
  const u = rand([c], seed + 6);
  const bn = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
    fused ? runBatchNormKernel({ x: a, gamma: g as tf.Tensor1D, beta: b as tf.Tensor1D }, { epsilon }) : separateBatchNorm(a, g, b, epsilon);
  const { y, mean, variance } = bn(x, gamma, beta);
  const loss = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    const o = bn(a, g, b);
    return tf.addN([tf.sum(tf.mul(o.y, r)), tf.sum(tf.mul(o.mean, s)), tf.sum(tf.mul(o.variance, u))]) as tf.Scalar;
  };
  const only = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(bn(a, g, b).y, r)) as tf.Scalar;
  return [y, mean, variance, ...tf.grads(loss)([x, gamma, beta]), ...tf.grads(only)([x, gamma, beta])];
};

if (!blas.registered) {
  describe("BatchNorm kernels without the addon", () => {
    it("the OpenBLAS backend is reported unavailable", () => {
      expect(blas.notice).toMatch(/^OpenBLAS backend unavailable: /);
    });
  });
} else {
  describe("FusedBatchNorm and the fused training-mode BatchNorm (DaleBatchNorm_v1) on the OpenBLAS backend", () => {
    let before = 0;
    beforeAll(async () => {
      await tf.setBackend(blas.name);
      before = tf.memory().numTensors;
    });
    afterAll(async () => {
      await tf.setBackend("cpu");
      expect(tf.memory().numTensors).toBe(before);
    });

    it("tf.batchNorm(x, mean, variance, offset, scale, ε) is the plain CPU kernel's to the bit, with per-channel, single-value and absent offset / scale (each run twice: reused buffers are NaN-poisoned)", async () => {
      const cases: Array<[string, () => tf.Tensor]> = [
        ["per channel", () => tf.batchNorm(rand([3, 5, 4, 7], 1, -3, 3), rand([7], 2), rand([7], 3, 0.1, 2), rand([7], 4), rand([7], 5), 1e-3)],
        ["no offset or scale", () => tf.batchNorm(rand([2, 9], 1), rand([9], 2), rand([9], 3, 0.1, 2))],
        ["single values", () => tf.batchNorm(rand([2, 3, 4], 1), tf.scalar(0.3), tf.scalar(1.7), tf.scalar(-0.2), tf.scalar(2), 1e-5)],
        ["NaN and infinities", () => tf.batchNorm(tf.tensor2d([[NaN, 1, Infinity], [-Infinity, 0, -0]]), tf.tensor1d([0, 1, 2]), tf.tensor1d([1, 0, 3]))],
      ];
      for (const [label, fn] of cases) {
        await tf.setBackend(blas.name);
        tf.tidy(() => {
          expect(isNativeOutput(fn()), label).toBe(true);
        });
        for (let run = 0; run < 2; run++) expect(await on(blas.name, fn), label).toEqual(await on("cpu", fn));
      }
    });

    it("tf.batchNorm with statistics of another shape (one per [W, C] position) and tfjs-layers' BatchNormalization in training mode agree with the CPU backend", async () => {
      const other = () => tf.batchNorm(rand([2, 3, 4, 5], 1), rand([4, 5], 2), rand([4, 5], 3, 0.1, 2));
      await tf.setBackend(blas.name);
      tf.tidy(() => {
        expect(isNativeOutput(other())).toBe(false);
      });
      expect(await on(blas.name, other)).toEqual(await on("cpu", other));
      const layer = () => {
        const bn = tf.layers.batchNormalization({ axis: -1 });
        const x = rand([4, 3, 3, 6], 7);
        (bn.apply(x, { training: true }) as tf.Tensor).dispose();
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(bn.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar, bn.trainableWeights.map((w) => w.read() as tf.Variable));
        const out = [value, ...Object.values(grads)];
        bn.dispose();
        return out;
      };
      expect(maxRelativeDifference(await on(blas.name, layer), await on("cpu", layer))).toBeLessThan(1e-5);
    });

    it(`${BATCH_NORM_KERNEL}: y, the batch statistics and the gradients through y, μ and σ² are those of the separate ops (tf.moments and the normalisation) on the CPU backend, NHWC and [B, C]`, async () => {
      expect(isBatchNormAvailable(blas.name)).toBe(true);
      for (const shape of [[4, 5, 6, 7], [3, 2, 2, 16], [9, 3], [1, 1, 1, 5]]) {
        const fused = await on<unknown[]>(blas.name, batchNormAndGrads(shape, true));
        const separate = await on<unknown[]>("cpu", batchNormAndGrads(shape, false));
        expect(maxRelativeDifference(fused, separate), `[${shape}]`).toBeLessThan(5e-5);
        expect(maxRelativeDifference(await on<unknown[]>(blas.name, batchNormAndGrads(shape, true)), fused), `[${shape}] again (poisoned buffers)`).toBe(0);
      }
    });

    it(`${BATCH_NORM_KERNEL}: the batch statistics and y match float64 sums of the definition`, async () => {
      const shape = [6, 7, 5, 9];
      const [x, gamma, beta] = await on<number[][]>("cpu", () => [rand(shape, 11, -2, 3).flatten(), rand([9], 12, 0.5, 1.5), rand([9], 13)]);
      const [y, mean, variance] = await on<number[][]>(blas.name, () => {
        const o = runBatchNormKernel({ x: rand(shape, 11, -2, 3), gamma: rand([9], 12, 0.5, 1.5) as tf.Tensor1D, beta: rand([9], 13) as tf.Tensor1D }, { epsilon: 1e-3 });
        return [o.y.flatten(), o.mean, o.variance];
      });
      const c = 9;
      const n = x!.length / c;
      const mu = new Float64Array(c);
      const v = new Float64Array(c);
      x!.forEach((value, i) => (mu[i % c]! += value / n));
      x!.forEach((value, i) => (v[i % c]! += (value - mu[i % c]!) ** 2 / n));
      const ref = x!.map((value, i) => (gamma![i % c]! * (value - mu[i % c]!)) / Math.sqrt(v[i % c]! + 1e-3) + beta![i % c]!);
      expect(scaledError(mean!, mu)).toBeLessThan(1e-6);
      expect(scaledError(variance!, v)).toBeLessThan(1e-6);
      expect(scaledError(y!, ref)).toBeLessThan(1e-6);
    });

    it(`${BATCH_NORM_KERNEL} and ${BATCH_NORM_GRAD_KERNEL} reject mismatched shapes, an empty x, int32 data and ε <= 0, naming the values`, async () => {
      await tf.setBackend(blas.name);
      expect(() => tf.tidy(() => runBatchNormKernel({ x: tf.zeros([2, 3]), gamma: tf.ones([4]) as tf.Tensor1D, beta: tf.zeros([3]) as tf.Tensor1D }, { epsilon: 1e-5 }))).toThrow(
        `${BATCH_NORM_KERNEL}: expected x [..., C] (rank >= 2, not empty) and vectors [C]; got x [2,3], gamma [4], beta [3]`,
      );
      expect(() => tf.tidy(() => runBatchNormKernel({ x: tf.zeros([0, 3]), gamma: tf.ones([3]) as tf.Tensor1D, beta: tf.zeros([3]) as tf.Tensor1D }, { epsilon: 1e-5 }))).toThrow(/rank >= 2, not empty/);
      expect(() => tf.tidy(() => runBatchNormKernel({ x: tf.zeros([2, 3], "int32"), gamma: tf.ones([3]) as tf.Tensor1D, beta: tf.zeros([3]) as tf.Tensor1D }, { epsilon: 1e-5 }))).toThrow(
        `${BATCH_NORM_KERNEL}: x must be float32; got int32`,
      );
      expect(() => tf.tidy(() => runBatchNormKernel({ x: tf.zeros([2, 3]), gamma: tf.ones([3]) as tf.Tensor1D, beta: tf.zeros([3]) as tf.Tensor1D }, { epsilon: 0 }))).toThrow(
        `${BATCH_NORM_KERNEL}: epsilon must be a finite number > 0; got 0`,
      );
      const g = { dy: tf.zeros([2, 4]), dmean: tf.zeros([3]), dvariance: tf.zeros([3]), x: tf.zeros([2, 3]), gamma: tf.ones([3]), mean: tf.zeros([3]), variance: tf.ones([3]) };
      expect(() => tf.tidy(() => tf.engine().runKernel(BATCH_NORM_GRAD_KERNEL, g, { epsilon: 1e-5 }))).toThrow(`${BATCH_NORM_GRAD_KERNEL}: dy must have x's shape [2,3]; got [2,4]`);
      tf.dispose(Object.values(g));
    });
  });
}
