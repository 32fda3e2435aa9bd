import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useLeakCheck } from "@dale-nn/test-support";
import { maxRelativeDifference, on, openBlasForTests } from "./test-support/backends.js";
import { isNativeOutput } from "./test-support/conv-reference.js";
import { OPENBLAS_KERNELS, registerOpenBlasBackend } from "./register-openblas-backend.js";
import { CT_RNN_GRAD_KERNEL, CT_RNN_KERNEL, DANN_DENSE_GRAD_KERNEL, DANN_DENSE_KERNEL, BACKOFF_COSINE_SUMS_KERNEL, DANN_DENSE_V2_GRAD_KERNEL, DANN_DENSE_V2_KERNEL, PROJECTED_SGD_STEP_KERNEL, RELU_RNN_GRAD_KERNEL, RELU_RNN_KERNEL, RELU_RNN_V2_GRAD_KERNEL, RELU_RNN_V2_KERNEL } from "@dale-nn/core";

const blas = openBlasForTests();

/** Seeded inputs created fresh on each backend (same numbers on both). */
const rand = (shape: number[], seed: number, lo = -1, hi = 1): tf.Tensor => tf.randomUniform(shape, lo, hi, "float32", seed);

if (!blas.registered) {
  describe("OpenBLAS kernels without the addon", () => {
    it("registerOpenBlasBackend() reports why it is unavailable", () => {
      expect(blas.notice).toMatch(/^OpenBLAS backend unavailable: /);
    });
  });
} else {
  describe("OpenBLAS backend kernels agree with the plain tfjs CPU backend", () => {
    useLeakCheck();

    const both = async (fn: () => tf.Tensor | tf.Tensor[]): Promise<[unknown, unknown]> => [await on(blas.name, fn), await on("cpu", fn)];

    it("registerOpenBlasBackend({ threads }) rejects a thread count that is not an integer >= 1, naming it", () => {
      expect(() => registerOpenBlasBackend({ threads: 0 })).toThrow(/registerOpenBlasBackend: threads must be an integer >= 1; got 0/);
      expect(() => registerOpenBlasBackend({ threads: 1.5 })).toThrow(/got 1.5/);
      expect(registerOpenBlasBackend({ threads: 1 }).registered).toBe(true);
    });

    it("registers BatchMatMul, _FusedMatMul, the element-wise fast paths and the fused kernels on the backend", () => {
      for (const k of [...OPENBLAS_KERNELS, RELU_RNN_KERNEL, RELU_RNN_GRAD_KERNEL, RELU_RNN_V2_KERNEL, RELU_RNN_V2_GRAD_KERNEL, CT_RNN_KERNEL, CT_RNN_GRAD_KERNEL, DANN_DENSE_KERNEL, DANN_DENSE_GRAD_KERNEL, DANN_DENSE_V2_KERNEL, DANN_DENSE_V2_GRAD_KERNEL, PROJECTED_SGD_STEP_KERNEL, BACKOFF_COSINE_SUMS_KERNEL]) expect(tf.getKernel(k, blas.name), k).toBeDefined();
      // Every other kernel is the CPU backend's own.
      expect(tf.getKernelsForBackend(blas.name).length).toBeGreaterThanOrEqual(tf.getKernelsForBackend("cpu").length);
    });

    it("matMul(a, b, transposeA, transposeB) for all four flag combinations, to 1e-5", async () => {
      for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        const [ours, plain] = await both(() => tf.matMul(rand(ta ? [37, 23] : [23, 37], 1), rand(tb ? [19, 37] : [37, 19], 2), ta, tb));
        expect(maxRelativeDifference(ours, plain), `transposeA=${ta} transposeB=${tb}`).toBeLessThan(1e-5);
      }
    });

    it("matMul(x, w, false, true) on both sides of the small-row path (x Wᵀ formed as (W xᵀ)ᵀ for 2-32 rows), batched too, to 1e-5", async () => {
      for (const m of [1, 2, 31, 32, 33, 64]) {
        const [ours, plain] = await both(() => tf.matMul(rand([m, 300], 3), rand([45, 300], 4), false, true));
        expect(maxRelativeDifference(ours, plain), `m = ${m}`).toBeLessThan(1e-5);
      }
      const [ours, plain] = await both(() => tf.matMul(rand([3, 16, 70], 5), rand([3, 20, 70], 6), false, true));
      expect(maxRelativeDifference(ours, plain), "batch of 3, m = 16").toBeLessThan(1e-5);
    });

    it("batched matMul: equal batches, one matrix against a batch (both sides), rank 4", async () => {
      const cases: Array<[number[], number[]]> = [
        [[4, 5, 6], [4, 6, 3]],
        [[1, 5, 6], [4, 6, 3]],
        [[4, 5, 6], [6, 3]],
        [[2, 3, 5, 6], [2, 3, 6, 4]],
      ];
      for (const [sa, sb] of cases) {
        const [ours, plain] = await both(() => tf.matMul(rand(sa, 3), rand(sb, 4)));
        expect(maxRelativeDifference(ours, plain), `${sa} x ${sb}`).toBeLessThan(1e-5);
      }
    });

    it("matMul with an empty inner dimension gives zeros; int32 matMul falls back to the plain kernel", async () => {
      const [ours, plain] = await both(() => tf.matMul(tf.zeros([3, 0]), tf.zeros([0, 2])));
      expect(ours).toEqual(plain);
      const [oi, pi] = await both(() => tf.matMul(tf.tensor2d([[1, 2], [3, 4]], undefined, "int32"), tf.tensor2d([[5], [6]], undefined, "int32")));
      expect(oi).toEqual([[17], [39]]);
      expect(oi).toEqual(pi);
    });

    it("matMul with mismatched inner dimensions throws tfjs's error", async () => {
      await tf.setBackend(blas.name);
      expect(() => tf.tidy(() => tf.matMul(tf.ones([2, 3]), tf.ones([4, 2])))).toThrow(/inner shapes \(3\) and \(4\)/);
    });

    it("tf.fused.matMul with bias and each activation (PReLU through the plain kernel)", async () => {
      for (const activation of ["linear", "relu", "relu6", "elu", "sigmoid", "leakyrelu", "prelu"] as const) {
        for (const biasShape of [[7], [1, 7], [5, 7], [1]]) {
          const [ours, plain] = await both(() =>
            tf.fused.matMul({
              a: rand([5, 9], 5, -3, 3),
              b: rand([7, 9], 6, -3, 3),
              transposeB: true,
              bias: rand(biasShape, 7),
              activation,
              preluActivationWeights: activation === "prelu" ? rand([7], 8, 0, 1) : undefined,
              leakyreluAlpha: 0.1,
            }),
          );
          expect(maxRelativeDifference(ours, plain), `${activation} bias [${biasShape}]`).toBeLessThan(1e-5);
        }
      }
    });

    it("element-wise binary ops are exactly the plain kernels' for same shapes, scalars, trailing and leading broadcasts and the rest", async () => {
      const pairs: Array<[number[], number[]]> = [
        [[6, 5], [6, 5]],
        [[6, 5], []],
        [[], [6, 5]],
        [[6, 5], [5]],
        [[5], [6, 5]],
        [[2, 6, 5], [6, 5]],
        [[6, 5], [1, 5]],
        [[6, 1], [6, 5]], // a leading (column) broadcast
        [[6, 5], [6, 1]],
        [[2, 3, 5], [2, 1, 1]],
        [[2, 3, 5], [2, 3, 1]],
        [[2, 3, 4, 5], [2, 1, 1, 5]], // a middle-axes broadcast (the gradient of a global average pool)
        [[2, 1, 1, 5], [2, 3, 4, 5]],
        [[2, 3, 5], [2, 1, 5]],
        [[3, 5], [2, 1, 1]], // both broadcast: plain kernel
        [[2, 1, 5], [2, 3, 1]], // neither pattern: plain kernel
      ];
      await tf.setBackend(blas.name);
      tf.tidy(() => {
        // the middle-axes broadcast runs the addon's row loop once per leading index (a pooled output), both operand orders
        expect(isNativeOutput(tf.sub(rand([2, 3, 4, 5], 9), rand([2, 1, 1, 5], 10))), "[2,3,4,5] - [2,1,1,5]").toBe(true);
        expect(isNativeOutput(tf.sub(rand([2, 1, 1, 5], 9), rand([2, 3, 4, 5], 10))), "[2,1,1,5] - [2,3,4,5]").toBe(true);
      });
      for (const op of ["add", "sub", "mul", "div", "maximum", "minimum", "squaredDifference"] as const) {
        for (const [sa, sb] of pairs) {
          const [ours, plain] = await both(() => tf[op](rand(sa, 9, -2, 2), rand(sb, 10, 0.5, 2)));
          expect(ours, `${op} [${sa}] [${sb}]`).toEqual(plain);
        }
      }
    });

    it("unary ops match the plain kernels, NaN and ±0 included", async () => {
      const special = [NaN, -0, 0, -1e-30, 3, -7, 1e-3, 80, -80];
      for (const op of ["relu", "relu6", "step", "neg", "abs", "exp", "log", "sqrt", "square", "sigmoid", "tanh"] as const) {
        const [ours, plain] = await both(() => (tf[op] as (x: tf.Tensor) => tf.Tensor)(tf.concat([tf.tensor1d(special), rand([300], 11, -5, 5)])));
        expect(maxRelativeDifference(ours, plain), op).toBeLessThan(op === "exp" || op === "log" || op === "tanh" || op === "sigmoid" ? 1e-7 : 1e-12);
        expect((ours as number[]).map((v) => Number.isNaN(v)), op).toEqual((plain as number[]).map((v) => Number.isNaN(v)));
      }
      const [ours, plain] = await both(() => tf.step(tf.tensor1d([-1, 0, 2, NaN]), 0.3));
      expect(ours).toEqual(plain);
    });

    it("transpose (matrix, leading-axes swap, other permutations) and sum (leading axes, keepDims, other axes)", async () => {
      for (const [shape, perm] of [[[7, 33], [1, 0]], [[4, 6, 5], [1, 0, 2]], [[4, 6, 5], [2, 1, 0]]] as const) {
        const [ours, plain] = await both(() => tf.transpose(rand([...shape], 12), [...perm]));
        expect(ours, `[${shape}] perm [${perm}]`).toEqual(plain);
      }
      for (const [axis, keepDims] of [[0, false], [[0, 1], false], [0, true], [1, false], [-1, true], [[0, 1, 2], false]] as const) {
        const [ours, plain] = await both(() => tf.sum(rand([4, 6, 5], 13), axis as number | number[], keepDims));
        expect(maxRelativeDifference(ours, plain), `axis ${axis} keepDims ${keepDims}`).toBeLessThan(1e-6);
      }
    });

    it("mean over one run of axes (leading: BatchNorm statistics; middle: a global average pool; trailing) is the plain kernel's to the bit; other axes take the plain kernel", async () => {
      for (const [axis, keepDims] of [[[0, 1, 2], false], [[0, 1, 2], true], [[1, 2], false], [[1, 2], true], [0, false], [3, false], [[2, 3], true], [-1, false], [[0, 2], false], [[0, 1, 2, 3], false]] as const) {
        const [ours, plain] = await both(() => tf.mean(rand([4, 6, 5, 3], 17), axis as number | number[], keepDims));
        expect(ours, `axis ${axis} keepDims ${keepDims}`).toEqual(plain);
      }
      const grads = () => tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.mean(x, [1, 2]))))(rand([3, 4, 5, 6], 18));
      const [ours, plain] = await both(grads);
      expect(ours, "gradient of a global average pool").toEqual(plain);
    });

    it("gradients through matMul and element-wise ops agree", async () => {
      const f = () => {
        const w = rand([8, 6], 14);
        const x = rand([5, 6], 15);
        const b = rand([8], 16);
        return tf.grads((wv: tf.Tensor, bv: tf.Tensor) => tf.sum(tf.square(tf.relu(tf.add(tf.matMul(x, wv, false, true), bv)))))([w, b]);
      };
      const [ours, plain] = await both(f);
      expect(maxRelativeDifference(ours, plain)).toBeLessThan(1e-5);
    });
  });
}
