import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { on, openBlasForTests } from "./test-support/backends.js";
import { isNativeOutput } from "./test-support/conv-reference.js";

const blas = openBlasForTests();

const rand = (shape: number[], seed: number): tf.Tensor => tf.randomUniform(shape, -1, 1, "float32", seed);

if (!blas.registered) {
  describe("copy kernels without the addon", () => {
    it("the OpenBLAS backend is reported unavailable", () => {
      expect(blas.notice).toMatch(/^OpenBLAS backend unavailable: /);
    });
  });
} else {
  describe("Unpack, Pack and Tile fast paths on the OpenBLAS backend", () => {
    useBackendWithLeakCheck(blas.name);

    /** Runs fn on both backends; the values must be the CPU backend's exactly, and natively made (pooled) when `native`. */
    const same = async (label: string, fn: () => tf.Tensor | tf.Tensor[], native: boolean): Promise<void> => {
      await tf.setBackend(blas.name);
      tf.tidy(() => {
        const out = fn();
        for (const t of Array.isArray(out) ? out : [out]) expect(isNativeOutput(t), label).toBe(native);
      });
      for (let run = 0; run < 2; run++) expect(await on(blas.name, fn), label).toEqual(await on("cpu", fn));
    };

    it("unstack(x, axis) along an inner axis copies blocks (a [B, T, H, W, C] sequence into its steps); along axis 0 it is the plain kernel's views", async () => {
      for (const axis of [1, 2, 4, -1, -2]) await same(`unstack axis ${axis}`, () => tf.unstack(rand([3, 4, 2, 5, 6], 1), axis), true);
      await same("unstack axis 0", () => tf.unstack(tf.tensor3d(Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]), 0), false);
      await same("unstack int32", () => tf.unstack(tf.ones([2, 3, 4], "int32"), 1), false);
    });

    it("stack(xs, axis) of two or more tensors interleaves blocks, for every axis; one tensor and int32 take the plain kernel", async () => {
      for (const axis of [0, 1, 2, 3, -1]) await same(`stack axis ${axis}`, () => tf.stack([rand([3, 2, 5], 2), rand([3, 2, 5], 3), rand([3, 2, 5], 4)], axis), true);
      await same("stack of one", () => tf.stack([tf.tensor2d([[1, 2], [3, 4]])], 1), false);
      await same("stack int32", () => tf.stack([tf.ones([2, 2], "int32"), tf.zeros([2, 2], "int32")], 1), false);
    });

    it("tile(x, reps) for trailing, leading, middle and repeated-everywhere reps (a BatchNorm gradient's [1, 1, 1, C] over [B, H, W, 1]); int32 takes the plain kernel", async () => {
      const cases: Array<[number[], number[]]> = [[[1, 1, 1, 5], [3, 4, 2, 1]], [[2, 3], [3, 1]], [[2, 3], [1, 4]], [[2, 3], [2, 2]], [[4], [3]], [[2, 1, 3], [1, 5, 1]], [[3, 2], [1, 1]]];
      for (const [shape, reps] of cases) await same(`tile [${shape}] by [${reps}]`, () => tf.tile(rand(shape, 5), reps), true);
      await same("tile int32", () => tf.tile(tf.ones([2, 2], "int32"), [2, 3]), false);
    });

    it("gradients through stack and unstack along axis 1 (each other's gradients) are the CPU backend's", async () => {
      const f = () =>
        tf.grads((a: tf.Tensor, b: tf.Tensor) => {
          const steps = tf.unstack(tf.stack([tf.relu(a), tf.square(b)], 1), 1);
          return tf.sum(tf.mul(steps[0]!, steps[1]!)) as tf.Scalar;
        })([rand([4, 3, 5], 6), rand([4, 3, 5], 7)]);
      expect(await on(blas.name, f)).toEqual(await on("cpu", f));
    });
  });
}
