import * as tf from "@tensorflow/tfjs";
import { dannDense, rnnForward } from "@dale-nn/ei-layers";
import { describe, expect, it } from "vitest";
import { useLeakCheck } from "@dale-nn/test-support";
import { maxRelativeDifference, on, openBlasForTests, withoutKernels } from "./test-support/backends.js";
import {
  DANN_DENSE_GRAD_KERNEL,
  DANN_DENSE_KERNEL,
  DANN_DENSE_V2_GRAD_KERNEL,
  DANN_DENSE_V2_KERNEL,
  RELU_RNN_GRAD_KERNEL,
  RELU_RNN_KERNEL,
  isReluRnnAvailable,
  runProjectedSgdStepKernel,
  runReluRnnKernel,
  type SgdStepProjection,
} from "@dale-nn/core";

const blas = openBlasForTests();

if (!blas.registered) {
  describe("fused kernels without the addon", () => {
    it("the OpenBLAS backend is reported unavailable, so rnnForward uses the per-step ops", async () => {
      expect(blas.notice).toMatch(/^OpenBLAS backend unavailable: /);
      await tf.setBackend("cpu");
      const before = tf.memory().numTensors;
      expect(isReluRnnAvailable()).toBe(false);
      const [fusedDefault, perStep] = tf.tidy(() => {
        const x = tf.randomUniform([2, 4, 3], -1, 1, "float32", 1) as tf.Tensor3D;
        const weights = { u: tf.randomNormal([5, 3], 0, 0.6, "float32", 2) as tf.Tensor2D, w: tf.randomNormal([5, 5], 0, 0.4, "float32", 3) as tf.Tensor2D, bias: tf.zeros([5]) as tf.Tensor1D };
        return [rnnForward(x, weights, { returnSequences: true }), rnnForward(x, weights, { returnSequences: true, fused: false })];
      });
      const profile = await tf.profile(() => tf.tidy(() => rnnForward(tf.ones([1, 3, 2]) as tf.Tensor3D, { u: tf.ones([2, 2]) as tf.Tensor2D, w: tf.eye(2) as tf.Tensor2D, bias: tf.zeros([2]) as tf.Tensor1D }).dispose()));
      expect(profile.kernels.map((k) => k.name)).not.toContain(RELU_RNN_KERNEL);
      expect(profile.kernels.filter((k) => k.name === "Relu")).toHaveLength(3);
      expect(fusedDefault!.shape).toEqual([2, 4, 5]);
      expect(Array.from(fusedDefault!.dataSync())).toEqual(Array.from(perStep!.dataSync()));
      tf.dispose([fusedDefault!, perStep!]);
      expect(tf.memory().numTensors).toBe(before);
    });
  });
} else {
  describe("fused ReLU recurrence and projected-SGD step on the OpenBLAS backend", () => {
    useLeakCheck();

    /** Loss and gradients of a small RNN (T = 6 steps, batch 4, d = 3, n = 7) w.r.t. U, W, b and h0. */
    const rnnValueAndGrads = (fused: boolean, returnSequences: boolean) => () => {
      const x = tf.randomUniform([4, 6, 3], -1, 1, "float32", 1);
      const u = tf.randomNormal([7, 3], 0, 0.6, "float32", 2);
      const w = tf.randomNormal([7, 7], 0, 0.4, "float32", 3);
      const b = tf.randomNormal([7], 0, 0.2, "float32", 4);
      const h0 = tf.randomUniform([4, 7], 0, 0.5, "float32", 5);
      const target = tf.randomNormal(returnSequences ? [4, 6, 7] : [4, 7], 0, 1, "float32", 6);
      const f = (uv: tf.Tensor, wv: tf.Tensor, bv: tf.Tensor, hv: tf.Tensor) =>
        tf.sum(tf.square(tf.sub(rnnForward(x as tf.Tensor3D, { u: uv as tf.Tensor2D, w: wv as tf.Tensor2D, bias: bv as tf.Tensor1D }, { h0: hv as tf.Tensor2D, fused, returnSequences }), target))) as tf.Scalar;
      const { value, grads } = tf.valueAndGrads(f)([u, w, b, h0]);
      return [value, ...grads];
    };

    it("rnnForward runs the fused kernel on the OpenBLAS backend (one kernel per pass, not one per step)", async () => {
      await tf.setBackend(blas.name);
      const profile = await tf.profile(() => {
        tf.tidy(() => {
          rnnValueAndGrads(true, false)();
        });
      });
      const names = profile.kernels.map((k) => k.name);
      expect(names.filter((n) => n === RELU_RNN_KERNEL)).toHaveLength(1);
      expect(names.filter((n) => n === RELU_RNN_GRAD_KERNEL)).toHaveLength(1);
      expect(names.filter((n) => n === "Relu")).toHaveLength(0);
    });

    it("fused and per-step recurrences give the same loss and gradients (U, W, b, h0), last state and all states", async () => {
      for (const returnSequences of [false, true]) {
        const fused = await on<number[]>(blas.name, rnnValueAndGrads(true, returnSequences));
        const perStep = await on<number[]>(blas.name, rnnValueAndGrads(false, returnSequences));
        const plainCpu = await on<number[]>("cpu", rnnValueAndGrads(false, returnSequences));
        expect(maxRelativeDifference(fused, perStep), `returnSequences ${returnSequences}`).toBeLessThan(2e-5);
        expect(maxRelativeDifference(fused, plainCpu), `returnSequences ${returnSequences}`).toBeLessThan(2e-5);
      }
    });

    /** Loss and gradients of a DANN layer (eq. 1; B = 5, d = 9, ne = 7, ni = 3) w.r.t. x and all six parameters. */
    const dannValueAndGrads = (fused: boolean) => () => {
      const x = tf.randomUniform([5, 9], 0, 1, "float32", 21);
      const p = {
        wEE: tf.randomUniform([7, 9], 0, 0.5, "float32", 22),
        wIE: tf.randomUniform([3, 9], 0, 0.5, "float32", 23),
        wEI: tf.randomUniform([7, 3], 0.1, 0.5, "float32", 24),
        alpha: tf.randomNormal([3], 0, 0.3, "float32", 25),
        g: tf.randomUniform([7], 0.5, 1.5, "float32", 26),
        beta: tf.randomNormal([7], 0, 0.1, "float32", 27),
      };
      const target = tf.randomNormal([5, 7], 0, 1, "float32", 28);
      const f = (xv: tf.Tensor, wEE: tf.Tensor, wIE: tf.Tensor, wEI: tf.Tensor, alpha: tf.Tensor, g: tf.Tensor, beta: tf.Tensor) =>
        tf.sum(tf.square(tf.sub(tf.relu(dannDense(xv as tf.Tensor2D, { wEE, wIE, wEI, alpha, g, beta } as never, { fused })), target))) as tf.Scalar;
      const { value, grads } = tf.valueAndGrads(f)([x, p.wEE, p.wIE, p.wEI, p.alpha, p.g, p.beta]);
      return [value, ...grads];
    };

    it(`dannDense on a backend with ${DANN_DENSE_KERNEL} but not ${DANN_DENSE_V2_KERNEL} runs version 1, one kernel per pass, and gives the separate ops' loss and gradients (x, W_EE, W_IE, W_EI, α, g, β)`, async () => {
      await withoutKernels([DANN_DENSE_V2_KERNEL, DANN_DENSE_V2_GRAD_KERNEL], blas.name, async () => {
        await tf.setBackend(blas.name);
        const profile = await tf.profile(() => {
          tf.tidy(() => {
            dannValueAndGrads(true)();
          });
        });
        const names = profile.kernels.map((k) => k.name);
        expect(names.filter((n) => n === DANN_DENSE_KERNEL)).toHaveLength(1);
        expect(names.filter((n) => n === DANN_DENSE_GRAD_KERNEL)).toHaveLength(1);
        expect(names).not.toContain(DANN_DENSE_V2_KERNEL);
        const fused = await on<number[]>(blas.name, dannValueAndGrads(true));
        const separate = await on<number[]>(blas.name, dannValueAndGrads(false));
        const plainCpu = await on<number[]>("cpu", dannValueAndGrads(false));
        expect(maxRelativeDifference(fused, separate)).toBeLessThan(2e-5);
        expect(maxRelativeDifference(fused, plainCpu)).toBeLessThan(2e-5);
      });
    });

    it(`dannDense with both versions registered runs ${DANN_DENSE_V2_KERNEL} (one forward; x is an input being differentiated, so a second gradient call gives dL/dx) and gives version 1's loss and gradients`, async () => {
      await tf.setBackend(blas.name);
      const profile = await tf.profile(() => {
        tf.tidy(() => {
          dannValueAndGrads(true)();
        });
      });
      const names = profile.kernels.map((k) => k.name);
      expect(names.filter((n) => n === DANN_DENSE_V2_KERNEL)).toHaveLength(1);
      expect(names.filter((n) => n === DANN_DENSE_V2_GRAD_KERNEL)).toHaveLength(2);
      expect(names).not.toContain(DANN_DENSE_KERNEL);
      const v2 = await on<number[]>(blas.name, dannValueAndGrads(true));
      const v1 = await withoutKernels([DANN_DENSE_V2_KERNEL, DANN_DENSE_V2_GRAD_KERNEL], blas.name, () => on<number[]>(blas.name, dannValueAndGrads(true)));
      expect(maxRelativeDifference(v2, v1)).toBeLessThan(2e-6);
    });

    it("the fused kernels reject mismatched shapes with the shapes in the message", async () => {
      await tf.setBackend(blas.name);
      expect(() =>
        tf.tidy(() => runReluRnnKernel({ u: tf.zeros([2, 3, 4]), w: tf.zeros([5, 5]), h0: tf.zeros([3, 4]) })),
      ).toThrow(new RegExp(`^${RELU_RNN_KERNEL}: expected u \\[T, B, n\\], w \\[n, n\\], h0 \\[B, n\\]; got u \\[2,3,4\\], w \\[5,5\\], h0 \\[3,4\\]`));
      expect(() =>
        tf.tidy(() => runProjectedSgdStepKernel({ w: tf.zeros([2, 3]), g: tf.zeros([3, 2]), lr: tf.scalar(0.1) }, { projection: "nonneg" })),
      ).toThrow(/gradient shape \[3,2\] must equal the weight shape \[2,3\]/);
      expect(() =>
        tf.tidy(() => runProjectedSgdStepKernel({ w: tf.zeros([2]), g: tf.zeros([2]), lr: tf.scalar(0.1) }, { projection: "sideways" as SgdStepProjection })),
      ).toThrow(/unknown projection "sideways"/);
    });

    it("the fused SGD step is bit-for-bit sub(w, mul(lr, g)) then relu / minimum(·, 0)", async () => {
      await tf.setBackend(blas.name);
      tf.tidy(() => {
        const w = tf.concat([tf.randomNormal([997], 0, 1, "float32", 7), tf.tensor1d([0, -0, NaN, 1e-30, -1e-30])]);
        const g = tf.concat([tf.randomNormal([997], 0, 3, "float32", 8), tf.tensor1d([1, -1, 0, 1e-20, -1e-20])]);
        const lr = tf.scalar(0.0731);
        const separate = { none: tf.sub(w, tf.mul(lr, g)), nonneg: tf.relu(tf.sub(w, tf.mul(lr, g))), nonpos: tf.minimum(tf.sub(w, tf.mul(lr, g)), 0) };
        for (const [projection, expected] of Object.entries(separate)) {
          const fused = runProjectedSgdStepKernel({ w, g, lr }, { projection: projection as SgdStepProjection }).updated;
          expect(Array.from(fused.dataSync()), projection).toEqual(Array.from(expected.dataSync()));
        }
      });
    });
  });
}
