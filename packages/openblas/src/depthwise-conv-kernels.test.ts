import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { maxRelativeError, useBackendWithLeakCheck } from "@dale-nn/test-support";
import { maxRelativeDifference, on, openBlasForTests } from "./test-support/backends.js";
import { isNativeOutput, referenceConv, type Window2d } from "./test-support/conv-reference.js";

const blas = openBlasForTests();

const rand = (shape: number[], seed: number): tf.Tensor => tf.randomUniform(shape, -1, 1, "float32", seed);

/** y = depthwiseConv2d(x, w) and the gradients of Σ y ⊙ r with respect to x and w (so dL/dy = r). */
const depthwiseAndGrads = (xShape: number[], k: [number, number], strides: number | [number, number], pad: "same" | "valid", seed = 0) => () => {
  const x = rand(xShape, seed + 1) as tf.Tensor4D;
  const w = rand([k[0], k[1], xShape[3]!, 1], seed + 2) as tf.Tensor4D;
  const y = tf.depthwiseConv2d(x, w, strides, pad);
  const r = rand(y.shape, seed + 3);
  const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad), r)))([x, w]);
  return [y, dx!, dw!];
};

/**
 * Batch 1 and > 1, odd and even sizes, channel counts that are not a multiple of 8 (per-pixel
 * loops) and that are (3 × 3: 8 channels at a time in registers inside, per pixel at the border), a 1 × 1 image.
 */
const SHAPES: number[][] = [[1, 7, 5, 5], [3, 6, 6, 13], [2, 9, 4, 16], [3, 6, 7, 8], [1, 5, 9, 24], [1, 1, 1, 3], [2, 5, 8, 1]];
const KERNELS: Array<[number, number]> = [[3, 3], [1, 1], [2, 3], [5, 5]];
const STRIDES: Array<number | [number, number]> = [1, 2, [1, 2]];

if (!blas.registered) {
  describe("depthwise conv kernels without the addon", () => {
    it("the OpenBLAS backend is reported unavailable", () => {
      expect(blas.notice).toMatch(/^OpenBLAS backend unavailable: /);
    });
  });
} else {
  describe("DepthwiseConv2dNative, DepthwiseConv2dNativeBackpropInput and DepthwiseConv2dNativeBackpropFilter on the OpenBLAS backend", () => {
    useBackendWithLeakCheck(blas.name);

    it("depthwiseConv2d(x, w, strides, pad) and its gradients (dx, dw) are the plain CPU backend's to float32 rounding, for every shape, kernel, stride and padding (each run twice: reused buffers are NaN-poisoned)", async () => {
      let cases = 0;
      for (const shape of SHAPES) {
        for (const k of KERNELS) {
          for (const strides of STRIDES) {
            for (const pad of ["same", "valid"] as const) {
              if (pad === "valid" && (k[0] > shape[1]! || k[1] > shape[2]!)) continue;
              const label = `x [${shape}] k ${k} strides ${strides} ${pad}`;
              const plain = await on<unknown[]>("cpu", depthwiseAndGrads(shape, k, strides, pad));
              for (let run = 0; run < 2; run++) {
                const ours = await on<unknown[]>(blas.name, depthwiseAndGrads(shape, k, strides, pad));
                expect(maxRelativeDifference(ours, plain), label).toBeLessThan(1e-5);
              }
              cases++;
            }
          }
        }
      }
      expect(cases).toBeGreaterThan(100);
    });

    it("the three kernels take the native path (pooled outputs) for NHWC, multiplier 1, SAME and VALID, stride 1 and 2", async () => {
      await tf.setBackend(blas.name);
      tf.tidy(() => {
        for (const [strides, pad] of [[1, "same"], [2, "valid"], [2, "same"]] as const) {
          const x = rand([2, 7, 6, 5], 1) as tf.Tensor4D;
          const w = rand([3, 3, 5, 1], 2) as tf.Tensor4D;
          const y = tf.depthwiseConv2d(x, w, strides, pad);
          expect(isNativeOutput(y), `forward ${strides} ${pad}`).toBe(true);
          const attrs = { strides, pad, dilations: 1 };
          const dx = tf.engine().runKernel("DepthwiseConv2dNativeBackpropInput", { dy: y, filter: w }, { ...attrs, inputShape: x.shape }) as tf.Tensor;
          const dw = tf.engine().runKernel("DepthwiseConv2dNativeBackpropFilter", { x, dy: y }, { ...attrs, filterShape: w.shape }) as tf.Tensor;
          expect(isNativeOutput(dx), `backprop input ${strides} ${pad}`).toBe(true);
          expect(isNativeOutput(dw), `backprop filter ${strides} ${pad}`).toBe(true);
        }
      });
    });

    it("matches the float64 sums of the definition (forward, dx, dw) for 3 × 3 SAME (13 and 16 channels), 3 × 3 stride-2 SAME and 5 × 5 stride-2 VALID depthwise convs", async () => {
      const cases: Array<[number[], Window2d]> = [
        [[3, 9, 7, 13], { kh: 3, kw: 3, sh: 1, sw: 1, pad: "same" }],
        [[3, 9, 7, 16], { kh: 3, kw: 3, sh: 1, sw: 1, pad: "same" }],
        [[2, 10, 9, 8], { kh: 3, kw: 3, sh: 2, sw: 2, pad: "same" }],
        [[2, 11, 12, 6], { kh: 5, kw: 5, sh: 2, sw: 2, pad: "valid" }],
      ];
      for (const [shape, win] of cases) {
        const label = `x [${shape}] ${win.kh}x${win.kw} stride ${win.sh} ${win.pad}`;
        const ours = await on<number[][]>(blas.name, () => depthwiseAndGrads(shape, [win.kh, win.kw], [win.sh, win.sw], win.pad, 7)().map((t) => t.flatten()));
        const [x, w, r] = await on<number[][]>("cpu", () => {
          const y = tf.depthwiseConv2d(rand(shape, 8) as tf.Tensor4D, rand([win.kh, win.kw, shape[3]!, 1], 9) as tf.Tensor4D, [win.sh, win.sw], win.pad);
          return [rand(shape, 8).flatten(), rand([win.kh, win.kw, shape[3]!, 1], 9).flatten(), rand(y.shape, 10).flatten()];
        });
        const ref = referenceConv(x!, shape, w!, shape[3]!, r!, win, true);
        expect(maxRelativeError(ours[0]!, ref.y), `${label}: y`).toBeLessThan(1e-6);
        expect(maxRelativeError(ours[1]!, ref.dx), `${label}: dx`).toBeLessThan(1e-6);
        expect(maxRelativeError(ours[2]!, ref.dw), `${label}: dw`).toBeLessThan(1e-6);
      }
    });

    it("channel multiplier 2, dilation 2 and int32 data run the plain CPU kernels (same numbers as on the CPU backend)", async () => {
      const multiplier = () => tf.depthwiseConv2d(rand([2, 5, 5, 3], 1) as tf.Tensor4D, rand([3, 3, 3, 2], 2) as tf.Tensor4D, 1, "same");
      const dilated = () => tf.depthwiseConv2d(rand([2, 7, 7, 3], 1) as tf.Tensor4D, rand([3, 3, 3, 1], 2) as tf.Tensor4D, 1, "same", "NHWC", 2);
      const multiplierGrads = () => tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.square(tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "valid"))))([rand([2, 5, 5, 3], 1), rand([3, 3, 3, 2], 2)]);
      const integer = () => tf.engine().runKernel("DepthwiseConv2dNative", { x: tf.ones([1, 3, 3, 2], "int32"), filter: tf.ones([2, 2, 2, 1], "int32") }, { strides: 1, pad: "valid", dilations: 1 }) as tf.Tensor;
      for (const [name, fn] of [["multiplier 2", multiplier], ["dilation 2", dilated], ["multiplier 2 gradients", multiplierGrads], ["int32", integer]] as const) {
        await tf.setBackend(blas.name);
        tf.tidy(() => {
          const out = fn();
          for (const t of Array.isArray(out) ? out : [out]) expect(isNativeOutput(t), name).toBe(false);
        });
        expect(await on(blas.name, fn), name).toEqual(await on("cpu", fn));
      }
    });

    it("tf.fused.depthwiseConv2d with a bias and linear or ReLU activation runs natively and agrees; ELU takes the plain kernel", async () => {
      const fused = (activation: "linear" | "relu" | "elu", bias: boolean) => () =>
        tf.fused.depthwiseConv2d({ x: rand([2, 6, 5, 4], 1) as tf.Tensor4D, filter: rand([3, 3, 4, 1], 2) as tf.Tensor4D, strides: 1, pad: "same", bias: bias ? rand([4], 3) : undefined, activation });
      for (const [activation, bias, native] of [["linear", false, true], ["relu", true, true], ["elu", true, false]] as const) {
        const label = `${activation}${bias ? " with bias" : ""}`;
        await tf.setBackend(blas.name);
        tf.tidy(() => {
          expect(isNativeOutput(fused(activation, bias)()), label).toBe(native);
        });
        expect(maxRelativeDifference(await on(blas.name, fused(activation, bias)), await on("cpu", fused(activation, bias))), label).toBeLessThan(1e-5);
      }
    });

    it("a separable conv (depthwise then pointwise), max-pooled, has the CPU backend's loss and gradients", async () => {
      const f = () => {
        const x = rand([4, 9, 9, 6], 11) as tf.Tensor4D;
        const loss = (a: tf.Tensor, d: tf.Tensor, p: tf.Tensor) => tf.sum(tf.square(tf.maxPool(tf.relu(tf.separableConv2d(a as tf.Tensor4D, tf.abs(d) as tf.Tensor4D, tf.abs(p) as tf.Tensor4D, 1, "same")), 3, 2, "same"))) as tf.Scalar;
        const { value, grads } = tf.valueAndGrads(loss)([x, rand([3, 3, 6, 1], 12), rand([1, 1, 6, 7], 13)]);
        return [value, ...grads];
      };
      expect(maxRelativeDifference(await on(blas.name, f), await on("cpu", f))).toBeLessThan(2e-5);
    });
  });
}
