import * as tf from "@tensorflow/tfjs";
import { denseForward } from "@dale-nn/ei-layers";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { maxRelativeDifference, on, openBlasForTests } from "./test-support/backends.js";
import { DENSE_GRAD_KERNEL, DENSE_KERNEL, isDenseAvailable, runDenseKernel, type DenseActivation } from "@dale-nn/core";

const blas = openBlasForTests();

/** Loss and gradients (x, W, b) of one dense layer y = f(x Wᵀ + b) under L = Σ (y − t)². */
const denseValueAndGrads = (batch: number, d: number, out: number, activation: DenseActivation, fused: boolean, seed = 0) => () => {
  const x = tf.randomUniform([batch, d], -1, 1, "float32", seed + 1);
  const w = tf.randomNormal([out, d], 0, 1 / Math.sqrt(d), "float32", seed + 2); // a layer's scale: x Wᵀ of order 1
  const b = tf.randomNormal([out], 0, 0.3, "float32", seed + 3);
  const target = tf.randomNormal([batch, out], 0, 1, "float32", seed + 4);
  const f = (xv: tf.Tensor, wv: tf.Tensor, bv: tf.Tensor) =>
    tf.sum(tf.square(tf.sub(denseForward(xv as tf.Tensor2D, { w: wv as tf.Tensor2D, b: bv as tf.Tensor1D }, { activation, fused }), target))) as tf.Scalar;
  const { value, grads } = tf.valueAndGrads(f)([x, w, b]);
  const y = denseForward(x as tf.Tensor2D, { w: w as tf.Tensor2D, b: b as tf.Tensor1D }, { activation, fused });
  return [y, value, ...grads];
};

/** [batch, d, out]: batch 1 and > 1, small and odd widths, an output layer of 10, a width past sgemm's k-blocking. */
const SHAPES: readonly [number, number, number][] = [[1, 1, 1], [1, 7, 3], [5, 9, 10], [32, 13, 17], [3, 300, 10], [16, 784, 500]];

if (!blas.registered) {
  describe("fused dense kernel without the addon", () => {
    it("the OpenBLAS backend is reported unavailable, so denseForward uses the separate ops", async () => {
      expect(blas.notice).toMatch(/^OpenBLAS backend unavailable: /);
      await tf.setBackend("cpu");
      expect(isDenseAvailable()).toBe(false);
    });
  });
} else {
  describe(`fused dense layer ${DENSE_KERNEL} on the OpenBLAS backend`, () => {
    useBackendWithLeakCheck(blas.name);

    it("denseForward runs one fused kernel forward and one backward (no BatchMatMul, Add, Relu, Step, Sum of its own), plus dz W for dL/dx", async () => {
      await tf.setBackend(blas.name);
      const profile = await tf.profile(() => {
        tf.tidy(() => {
          denseValueAndGrads(4, 6, 5, "relu", true)();
        });
      });
      const names = profile.kernels.map((k) => k.name);
      // Two forward passes (valueAndGrads and the plain y), one backward.
      expect(names.filter((n) => n === DENSE_KERNEL)).toHaveLength(2);
      expect(names.filter((n) => n === DENSE_GRAD_KERNEL)).toHaveLength(1);
      expect(names.filter((n) => n === "BatchMatMul")).toHaveLength(1); // dL/dx = dz W
      for (const absent of ["Relu", "Step", "Add"]) expect(names, absent).not.toContain(absent);
    });

    it("dL/dx is not formed when x needs no gradient (a network's input layer)", async () => {
      await tf.setBackend(blas.name);
      const profile = await tf.profile(() => {
        tf.tidy(() => {
          const x = tf.randomUniform([4, 6], 0, 1, "float32", 1) as tf.Tensor2D;
          tf.grads((w: tf.Tensor, b: tf.Tensor) => tf.sum(denseForward(x, { w: w as tf.Tensor2D, b: b as tf.Tensor1D })))([tf.ones([5, 6]), tf.zeros([5])]);
        });
      });
      const names = profile.kernels.map((k) => k.name);
      expect(names.filter((n) => n === DENSE_GRAD_KERNEL)).toHaveLength(1);
      expect(names).not.toContain("BatchMatMul");
    });

    for (const activation of ["linear", "relu"] as const) {
      it(`denseForward(x, { w, b }, { activation: "${activation}" }): y, loss and gradients (x, W, b) are the plain CPU backend's separate ops' to float32 tolerance and the OpenBLAS backend's separate ops' bit for bit, for every shape`, async () => {
        for (const [batch, d, out] of SHAPES) {
          const label = `${activation} [${batch}, ${d}] x [${out}, ${d}]ᵀ`;
          const fused = await on<unknown[]>(blas.name, denseValueAndGrads(batch, d, out, activation, true));
          const separate = await on<unknown[]>(blas.name, denseValueAndGrads(batch, d, out, activation, false));
          const plainCpu = await on<unknown[]>("cpu", denseValueAndGrads(batch, d, out, activation, false));
          expect(maxRelativeDifference(fused, plainCpu), label).toBeLessThan(2e-5);
          expect(fused, label).toEqual(separate);
        }
      });
    }

    it("relu′ follows tfjs's step convention: 0 where the pre-activation is exactly 0 and below, 1 above; NaN stays NaN", async () => {
      const grads = (fused: boolean, x: number[][]) => () => {
        const w = tf.tensor2d([[1, 1], [1, 0], [-1, 0]]);
        const b = tf.tensor1d([0, 0, 0]);
        return tf.grads((wv: tf.Tensor, bv: tf.Tensor, xv: tf.Tensor) => tf.sum(denseForward(xv as tf.Tensor2D, { w: wv as tf.Tensor2D, b: bv as tf.Tensor1D }, { fused })))([w, b, tf.tensor2d(x)]);
      };
      // Row 0: z = [0, 0, 0] exactly; row 1: z = [0, 1, -1].
      const finite = await on<number[][]>(blas.name, grads(true, [[0, 0], [1, -1]]));
      expect(finite).toEqual(await on<unknown[]>("cpu", grads(false, [[0, 0], [1, -1]])));
      expect(finite[1]).toEqual([0, 1, 0]); // db
      const nan = await on<number[][]>(blas.name, grads(true, [[NaN, 1]]));
      expect(nan).toEqual(await on<unknown[]>("cpu", grads(false, [[NaN, 1]])));
      expect(nan[1]).toEqual([NaN, NaN, NaN]);
    });

    it("rejects mismatched shapes, non-float32 input and an unknown activation, naming the value and the expectation", async () => {
      await tf.setBackend(blas.name);
      expect(() => tf.tidy(() => runDenseKernel({ x: tf.zeros([2, 3]), w: tf.zeros([4, 5]), b: tf.zeros([4]) } as never, { activation: "relu" }))).toThrow(
        new RegExp(`^${DENSE_KERNEL}: expected x \\[B, d\\], w \\[out, d\\] with d, out >= 1; got x \\[2,3\\], w \\[4,5\\], b \\[4\\]$`),
      );
      expect(() => tf.tidy(() => runDenseKernel({ x: tf.zeros([2, 3]), w: tf.zeros([4, 3]), b: tf.zeros([5]) } as never, { activation: "relu" }))).toThrow(
        `${DENSE_KERNEL}: b must be [4] (the rows of w); got [5]`,
      );
      expect(() => tf.tidy(() => runDenseKernel({ x: tf.zeros([2, 3], "int32"), w: tf.zeros([4, 3]), b: tf.zeros([4]) } as never, { activation: "linear" }))).toThrow(
        `${DENSE_KERNEL}: x must be float32; got int32`,
      );
      expect(() => tf.tidy(() => runDenseKernel({ x: tf.zeros([2, 3]), w: tf.zeros([4, 3]), b: tf.zeros([4]) } as never, { activation: "tanh" as DenseActivation }))).toThrow(
        `${DENSE_KERNEL}: unknown activation "tanh"; expected one of linear, relu`,
      );
      // The backend checks the activation too, for callers that bypass runDenseKernel.
      expect(() => tf.tidy(() => tf.engine().runKernel(DENSE_KERNEL, { x: tf.zeros([2, 3]), w: tf.zeros([4, 3]), b: tf.zeros([4]) }, { activation: "gelu" }))).toThrow(
        `${DENSE_KERNEL}: unknown activation "gelu"; expected one of linear, relu`,
      );
      expect(() => tf.tidy(() => denseForward(tf.zeros([2, 3]) as tf.Tensor2D, { w: tf.zeros([4, 5]) as tf.Tensor2D, b: tf.zeros([4]) as tf.Tensor1D }))).toThrow(
        "denseForward: expected x [B, d] and w [out, d] with the same d; got x [2, 3], w [4, 5]",
      );
    });

    it("softmax, sigmoid and tanh layers, and int32 input, use the separate ops (same numbers as on the plain CPU backend)", async () => {
      for (const activation of ["softmax", "sigmoid", "tanh"] as const) {
        const run = () => denseForward(tf.randomUniform([3, 4], -1, 1, "float32", 5) as tf.Tensor2D, { w: tf.randomNormal([2, 4], 0, 1, "float32", 6) as tf.Tensor2D, b: tf.ones([2]) as tf.Tensor1D }, { activation });
        await tf.setBackend(blas.name);
        const profile = await tf.profile(() => tf.tidy(() => run().dispose()));
        expect(profile.kernels.map((k) => k.name), activation).not.toContain(DENSE_KERNEL);
        expect(maxRelativeDifference(await on(blas.name, run), await on("cpu", run)), activation).toBeLessThan(2e-6);
      }
    });
  });
}
