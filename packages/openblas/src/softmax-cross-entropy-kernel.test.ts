import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { maxRelativeDifference, on, openBlasForTests } from "./test-support/backends.js";
import { isSoftmaxCrossEntropyAvailable, runSoftmaxCrossEntropyKernel, SOFTMAX_CROSS_ENTROPY_KERNEL, softmaxCrossEntropy } from "@dale-nn/core";

const blas = openBlasForTests();

type Labels = "one-hot" | "soft";

/** Seeded logits [B, C] (spread `scale`) and one-hot or soft labels. */
function batch(B: number, C: number, labels: Labels, scale: number, seed: number): { logits: tf.Tensor2D; labels: tf.Tensor2D } {
  // Seeds >= 1: tfjs's random ops treat a seed of 0 as "no seed".
  const logits = tf.randomNormal([B, C], 0, scale, "float32", seed + 1) as tf.Tensor2D;
  const t =
    labels === "one-hot"
      ? (C === 1 ? (tf.ones([B, 1]) as tf.Tensor2D) : (tf.oneHot(tf.randomUniform([B], 0, C, "int32", seed + 2) as tf.Tensor1D, C).toFloat() as tf.Tensor2D))
      : (tf.softmax(tf.randomNormal([B, C], 0, 1, "float32", seed + 3)) as tf.Tensor2D);
  return { logits, labels: t };
}

/** Loss, dL/dlogits with dL/dloss = 3 (so the gradient's dy is not 1), and the loss gradient itself. */
const lossAndGrad = (B: number, C: number, labels: Labels, scale: number, fused: boolean, seed = 0) => () => {
  const data = batch(B, C, labels, scale, seed);
  const loss = (t: tf.Tensor, z: tf.Tensor) => (fused ? softmaxCrossEntropy(t, z) : tf.losses.softmaxCrossEntropy(t, z)) as tf.Scalar;
  const { value, grad } = tf.valueAndGrad((z: tf.Tensor) => tf.mul(loss(data.labels, z), 3) as tf.Scalar)(data.logits);
  const plainGrad = tf.grad((z: tf.Tensor) => loss(data.labels, z))(data.logits);
  return [value, grad, plainGrad];
};

/** [B, C]: batch 1 and > 1, one class, odd class counts, the 10-class output, many classes. */
const SHAPES: readonly [number, number][] = [[1, 1], [1, 10], [5, 3], [32, 10], [7, 1000], [256, 10]];

if (!blas.registered) {
  describe("fused softmax cross-entropy without the addon", () => {
    it("the OpenBLAS backend is reported unavailable", () => expect(blas.notice).toMatch(/^OpenBLAS backend unavailable: /));
  });
} else {
  describe(`fused softmax cross-entropy ${SOFTMAX_CROSS_ENTROPY_KERNEL} on the OpenBLAS backend`, () => {
    useBackendWithLeakCheck(blas.name);

    it("softmaxCrossEntropy is one kernel forward and one Multiply backward (tf.losses.softmaxCrossEntropy: ~25 kernels)", async () => {
      await tf.setBackend(blas.name);
      expect(isSoftmaxCrossEntropyAvailable()).toBe(true);
      const count = async (fused: boolean) => {
        const profile = await tf.profile(() => {
          tf.tidy(() => {
            const { logits, labels } = batch(8, 10, "one-hot", 1, 3);
            const loss = (z: tf.Tensor) => (fused ? softmaxCrossEntropy(labels, z) : tf.losses.softmaxCrossEntropy(labels, z)) as tf.Scalar;
            tf.grad(loss)(logits);
          });
        });
        return profile.kernels.map((k) => k.name);
      };
      const plain = await count(false);
      const names = await count(true);
      const setup = (await tf.profile(() => tf.tidy(() => void batch(8, 10, "one-hot", 1, 3)))).kernels.length;
      expect(names.filter((n) => n === SOFTMAX_CROSS_ENTROPY_KERNEL)).toHaveLength(1);
      expect(names.slice(setup).filter((n) => n !== SOFTMAX_CROSS_ENTROPY_KERNEL && n !== "Identity")).toEqual(["Multiply"]);
      expect(plain.length - setup).toBeGreaterThan(20);
    });

    for (const labels of ["one-hot", "soft"] as const) {
      it(`softmaxCrossEntropy(${labels} labels, logits): loss and dL/dlogits are tf.losses.softmaxCrossEntropy's on the plain CPU backend to float32 tolerance, for every shape and logits up to ±80`, async () => {
        for (const [B, C] of SHAPES) {
          for (const scale of [1, 30]) {
            const label = `${labels} [${B}, ${C}] logits scale ${scale}`;
            const fused = await on<unknown[]>(blas.name, lossAndGrad(B, C, labels, scale, true));
            const plainCpu = await on<unknown[]>("cpu", lossAndGrad(B, C, labels, scale, false));
            const separate = await on<unknown[]>(blas.name, lossAndGrad(B, C, labels, scale, false));
            expect(maxRelativeDifference(fused, plainCpu), label).toBeLessThan(2e-6);
            expect(maxRelativeDifference(fused, separate), label).toBeLessThan(2e-6);
          }
        }
      });
    }

    it("is finite for logits of ±1e4 (the row maximum is subtracted), where exp(logits) overflows", async () => {
      const run = (fused: boolean) => () => {
        const logits = tf.tensor2d([[1e4, -1e4, 0], [-1e4, -1e4 + 1, -1e4]]);
        const labels = tf.tensor2d([[0, 1, 0], [0, 1, 0]]);
        const loss = (z: tf.Tensor) => (fused ? softmaxCrossEntropy(labels, z) : tf.losses.softmaxCrossEntropy(labels, z)) as tf.Scalar;
        const { value, grad } = tf.valueAndGrad(loss)(logits);
        return [value, grad];
      };
      const fused = await on<[number, number[][]]>(blas.name, run(true));
      expect(Number.isFinite(fused[0])).toBe(true);
      expect(fused).toEqual(await on<unknown[]>("cpu", run(false)));
    });

    it("the labels get the derivative −log_softmax(logits) · dy / B (tfjs's own op gives dy · (labels − softmax) / B instead)", async () => {
      const labelsGrad = (fused: boolean) => () => {
        const { logits, labels } = batch(6, 5, "soft", 1, 9);
        return tf.grad((t: tf.Tensor) => tf.mul(fused ? softmaxCrossEntropy(t, logits) : tf.losses.softmaxCrossEntropy(t, logits), 2) as tf.Scalar)(labels);
      };
      const expected = () => tf.mul(tf.neg(tf.logSoftmax(batch(6, 5, "soft", 1, 9).logits)), 2 / 6);
      const tfjsOwn = () => {
        const { logits, labels } = batch(6, 5, "soft", 1, 9);
        return tf.mul(tf.sub(labels, tf.softmax(logits)), 2 / 6);
      };
      const fused = await on<number[][]>(blas.name, labelsGrad(true));
      expect(maxRelativeDifference(fused, await on("cpu", expected))).toBeLessThan(1e-6);
      expect(maxRelativeDifference(await on("cpu", labelsGrad(false)), await on("cpu", tfjsOwn))).toBeLessThan(1e-6);
    });

    it("integer one-hot labels (tf.oneHot's int32) give the float labels' numbers", async () => {
      const run = (int: boolean) => () => {
        const logits = tf.randomNormal([4, 10], 0, 2, "float32", 5) as tf.Tensor2D;
        const labels = tf.oneHot(tf.tensor1d([3, 0, 9, 3], "int32"), 10);
        return tf.valueAndGrad((z: tf.Tensor) => softmaxCrossEntropy(int ? labels : labels.toFloat(), z))(logits).grad;
      };
      expect(await on(blas.name, run(true))).toEqual(await on(blas.name, run(false)));
    });

    it("rejects mismatched shapes and non-float32 logits, naming the values and the expectation", async () => {
      await tf.setBackend(blas.name);
      expect(() => tf.tidy(() => softmaxCrossEntropy(tf.zeros([4, 3]), tf.zeros([4, 5])))).toThrow(/^softmaxCrossEntropy: labels shape \[4, 3\] must equal logits shape \[4, 5\]$/);
      expect(() => tf.tidy(() => runSoftmaxCrossEntropyKernel({ logits: tf.zeros([4, 5]), labels: tf.zeros([4, 3]) } as never))).toThrow(
        `${SOFTMAX_CROSS_ENTROPY_KERNEL}: expected logits and labels of one shape [B, C] with B, C >= 1; got logits [4,5], labels [4,3]`,
      );
      expect(() => tf.tidy(() => runSoftmaxCrossEntropyKernel({ logits: tf.zeros([4, 5], "int32"), labels: tf.zeros([4, 5]) } as never))).toThrow(
        `${SOFTMAX_CROSS_ENTROPY_KERNEL}: logits must be float32; got int32`,
      );
      expect(() => tf.tidy(() => runSoftmaxCrossEntropyKernel({ logits: tf.zeros([4, 5]), labels: tf.zeros([4, 5], "int32") } as never))).toThrow(
        `${SOFTMAX_CROSS_ENTROPY_KERNEL}: labels must be float32; got int32`,
      );
    });

    it("rank-3 logits (a loss on every step of a sequence) go to tf.losses.softmaxCrossEntropy", async () => {
      const run = () => {
        const logits = tf.randomNormal([2, 3, 4], 0, 1, "float32", 1);
        return softmaxCrossEntropy(tf.oneHot(tf.tensor2d([[0, 1, 2], [3, 2, 1]], undefined, "int32"), 4), logits);
      };
      await tf.setBackend(blas.name);
      const profile = await tf.profile(() => tf.tidy(() => void run()));
      expect(profile.kernels.map((k) => k.name)).not.toContain(SOFTMAX_CROSS_ENTROPY_KERNEL);
      expect(maxRelativeDifference(await on(blas.name, run), await on("cpu", run))).toBeLessThan(2e-6);
    });
  });
}
