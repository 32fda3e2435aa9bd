import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { maxRelativeError, useBackendWithLeakCheck } from "@dale-nn/test-support";
import { maxRelativeDifference, on, openBlasForTests } from "./test-support/backends.js";
import { isNativeOutput, referenceConv, type Window2d } from "./test-support/conv-reference.js";

const blas = openBlasForTests();

const rand = (shape: number[], seed: number): tf.Tensor => tf.randomUniform(shape, -1, 1, "float32", seed);

/** y = conv2d(x, w) and the gradients of Σ y ⊙ r with respect to x and w (so dL/dy = r). */
const convAndGrads = (xShape: number[], wShape: number[], strides: number | [number, number], pad: "same" | "valid", seed = 0) => () => {
  const x = rand(xShape, seed + 1) as tf.Tensor4D;
  const w = rand(wShape, seed + 2) as tf.Tensor4D;
  const y = tf.conv2d(x, w, strides, pad);
  const r = rand(y.shape, seed + 3);
  const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad), r)))([x, w]);
  return [y, dx!, dw!];
};

/** [x shape, kernel [kh, kw], cout]: pointwise (1 × 1) and regular kernels, batch 1 and > 1, odd sizes, channels not a multiple of 8. */
const CASES: Array<[number[], [number, number], number]> = [
  [[1, 7, 5, 3], [3, 3], 4],
  [[3, 6, 6, 5], [1, 1], 7],
  [[2, 5, 9, 16], [1, 1], 13],
  [[2, 8, 7, 6], [2, 3], 5],
  [[1, 9, 9, 2], [5, 5], 3],
  [[2, 1, 1, 4], [3, 3], 2],
  [[1, 4, 6, 1], [3, 1], 1],
];
const STRIDES: Array<number | [number, number]> = [1, 2, [2, 1]];

if (!blas.registered) {
  describe("conv2d kernels without the addon", () => {
    it("the OpenBLAS backend is reported unavailable", () => {
      expect(blas.notice).toMatch(/^OpenBLAS backend unavailable: /);
    });
  });
} else {
  describe("Conv2D, Conv2DBackpropInput, Conv2DBackpropFilter and FusedConv2D on the OpenBLAS backend", () => {
    useBackendWithLeakCheck(blas.name);

    it("conv2d(x, w, strides, pad) and its gradients (dx, dw) are the plain CPU backend's to float32 rounding, for every shape, kernel, stride and padding (each run twice: reused buffers are NaN-poisoned)", async () => {
      let cases = 0;
      for (const [shape, k, cout] of CASES) {
        for (const strides of STRIDES) {
          for (const pad of ["same", "valid"] as const) {
            if (pad === "valid" && (k[0] > shape[1]! || k[1] > shape[2]!)) continue;
            const wShape = [k[0], k[1], shape[3]!, cout];
            const label = `x [${shape}] w [${wShape}] strides ${strides} ${pad}`;
            const plain = await on<unknown[]>("cpu", convAndGrads(shape, wShape, strides, pad));
            for (let run = 0; run < 2; run++) {
              const ours = await on<unknown[]>(blas.name, convAndGrads(shape, wShape, strides, pad));
              expect(maxRelativeDifference(ours, plain), label).toBeLessThan(1e-5);
            }
            cases++;
          }
        }
      }
      expect(cases).toBeGreaterThan(35);
    });

    it("an input large enough for several im2col blocks (3 × 3, 16 → 8 channels, 2 × 40 × 40, stride 1 and 2) matches the float64 sums", async () => {
      const shape = [2, 40, 40, 16];
      const wShape = [3, 3, 16, 8];
      for (const stride of [1, 2]) {
        const [x, w, r] = await on<number[][]>("cpu", () => {
          const y = tf.conv2d(rand(shape, 21) as tf.Tensor4D, rand(wShape, 22) as tf.Tensor4D, stride, "same");
          return [rand(shape, 21).flatten(), rand(wShape, 22).flatten(), rand(y.shape, 23).flatten()];
        });
        const ours = await on<number[][]>(blas.name, () => convAndGrads(shape, wShape, stride, "same", 20)().map((t) => t.flatten()));
        // dW sums 3,200 (stride 1) products per entry: sgemm's float32 sums, against the float64 ones.
        const ref = referenceConv(x!, shape, w!, 8, r!, { kh: 3, kw: 3, sh: stride, sw: stride, pad: "same" }, false);
        expect(maxRelativeError(ours[0]!, ref.y), `stride ${stride}: y`).toBeLessThan(1e-6);
        expect(maxRelativeError(ours[1]!, ref.dx), `stride ${stride}: dx`).toBeLessThan(1e-6);
        expect(maxRelativeError(ours[2]!, ref.dw), `stride ${stride}: dw`).toBeLessThan(1e-6);
      }
    });

    it("the three kernels take the native path (pooled outputs) for 1 × 1 and 3 × 3 kernels, stride 1 and 2", async () => {
      await tf.setBackend(blas.name);
      tf.tidy(() => {
        for (const [k, strides, pad] of [[1, 1, "same"], [1, 2, "valid"], [3, 1, "same"], [3, 2, "valid"]] as const) {
          const x = rand([2, 7, 6, 5], 1) as tf.Tensor4D;
          const w = rand([k, k, 5, 3], 2) as tf.Tensor4D;
          const y = tf.conv2d(x, w, strides, pad);
          expect(isNativeOutput(y), `forward ${k} ${strides} ${pad}`).toBe(true);
          const attrs = { strides, pad, dataFormat: "NHWC", dilations: 1 };
          const dx = tf.engine().runKernel("Conv2DBackpropInput", { dy: y, filter: w }, { ...attrs, inputShape: x.shape }) as tf.Tensor;
          const dw = tf.engine().runKernel("Conv2DBackpropFilter", { x, dy: y }, { ...attrs, filterShape: w.shape }) as tf.Tensor;
          expect(isNativeOutput(dx), `backprop input ${k} ${strides} ${pad}`).toBe(true);
          expect(isNativeOutput(dw), `backprop filter ${k} ${strides} ${pad}`).toBe(true);
        }
      });
    });

    it("matches the float64 sums of the definition (forward, dx, dw) for a 3 × 3 SAME, a 1 × 1 and a 2 × 3 stride-2 VALID conv", async () => {
      const cases: Array<[number[], Window2d, number]> = [
        [[3, 9, 7, 5], { kh: 3, kw: 3, sh: 1, sw: 1, pad: "same" }, 6],
        [[2, 5, 6, 11], { kh: 1, kw: 1, sh: 1, sw: 1, pad: "same" }, 9],
        [[2, 9, 8, 4], { kh: 2, kw: 3, sh: 2, sw: 2, pad: "valid" }, 3],
      ];
      for (const [shape, win, cout] of cases) {
        const wShape = [win.kh, win.kw, shape[3]!, cout];
        const label = `x [${shape}] w [${wShape}] stride ${win.sh} ${win.pad}`;
        const ours = await on<number[][]>(blas.name, () => convAndGrads(shape, wShape, [win.sh, win.sw], win.pad, 30)().map((t) => t.flatten()));
        const [x, w, r] = await on<number[][]>("cpu", () => {
          const y = tf.conv2d(rand(shape, 31) as tf.Tensor4D, rand(wShape, 32) as tf.Tensor4D, [win.sh, win.sw], win.pad);
          return [rand(shape, 31).flatten(), rand(wShape, 32).flatten(), rand(y.shape, 33).flatten()];
        });
        const ref = referenceConv(x!, shape, w!, cout, r!, win, false);
        expect(maxRelativeError(ours[0]!, ref.y), `${label}: y`).toBeLessThan(1e-6);
        expect(maxRelativeError(ours[1]!, ref.dx), `${label}: dx`).toBeLessThan(1e-6);
        expect(maxRelativeError(ours[2]!, ref.dw), `${label}: dw`).toBeLessThan(1e-6);
      }
    });

    it("tf.fused.conv2d with a bias and linear or ReLU activation runs natively and agrees; ELU and PReLU take the plain kernel", async () => {
      const fused = (activation: "linear" | "relu" | "elu" | "prelu", biasShape: number[] | null) => () =>
        tf.fused.conv2d({
          x: rand([2, 6, 5, 4], 1) as tf.Tensor4D,
          filter: rand([3, 3, 4, 6], 2) as tf.Tensor4D,
          strides: 1,
          pad: "same",
          bias: biasShape ? rand(biasShape, 3) : undefined,
          activation,
          preluActivationWeights: activation === "prelu" ? tf.fill([6], 0.2) : undefined,
        });
      const cases: Array<[Parameters<typeof fused>, boolean]> = [
        [["linear", null], true],
        [["relu", [6]], true],
        [["linear", [1]], true],
        [["relu", [1, 1, 1, 6]], true],
        [["elu", [6]], false],
        [["prelu", [6]], false],
      ];
      for (const [[activation, biasShape], native] of cases) {
        const label = `${activation} bias ${biasShape ? `[${biasShape}]` : "none"}`;
        await tf.setBackend(blas.name);
        tf.tidy(() => {
          expect(isNativeOutput(fused(activation, biasShape)()), label).toBe(native);
        });
        expect(maxRelativeDifference(await on(blas.name, fused(activation, biasShape)), await on("cpu", fused(activation, biasShape))), label).toBeLessThan(1e-5);
      }
    });

    it("a conv2d layer of tfjs-layers (FusedConv2D forward, both gradients) trains as on the CPU backend", async () => {
      const f = () => {
        const layer = tf.layers.conv2d({ filters: 5, kernelSize: 3, padding: "same", useBias: false, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) });
        const x = rand([3, 8, 8, 4], 5);
        (layer.apply(x) as tf.Tensor).dispose(); // builds it
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(x) as tf.Tensor)) as tf.Scalar, layer.trainableWeights.map((w) => w.read() as tf.Variable));
        const out = [value, ...Object.values(grads)];
        layer.dispose();
        return out;
      };
      expect(maxRelativeDifference(await on(blas.name, f), await on("cpu", f))).toBeLessThan(1e-5);
    });

    it("NCHW data, dilation 2 and int32 data run the plain CPU kernels (same numbers as on the CPU backend)", async () => {
      const nchw = () => tf.conv2d(rand([2, 3, 6, 5], 1) as tf.Tensor4D, rand([3, 3, 3, 4], 2) as tf.Tensor4D, 1, "same", "NCHW");
      const dilated = () => tf.conv2d(rand([2, 7, 7, 3], 1) as tf.Tensor4D, rand([3, 3, 3, 4], 2) as tf.Tensor4D, 1, "same", "NHWC", 2);
      const integer = () => tf.engine().runKernel("Conv2D", { x: tf.ones([1, 3, 3, 2], "int32"), filter: tf.ones([2, 2, 2, 3], "int32") }, { strides: 1, pad: "valid", dataFormat: "NHWC", dilations: 1 }) as tf.Tensor;
      const nchwInput = () =>
        tf.engine().runKernel("Conv2DBackpropInput", { dy: rand([2, 4, 6, 5], 3), filter: rand([3, 3, 3, 4], 2) }, { strides: 1, pad: "same", dataFormat: "NCHW", inputShape: [2, 3, 6, 5] }) as tf.Tensor;
      const nchwFilter = () =>
        tf.engine().runKernel("Conv2DBackpropFilter", { x: rand([2, 3, 6, 5], 1), dy: rand([2, 4, 6, 5], 3) }, { strides: 1, pad: "same", dataFormat: "NCHW", filterShape: [3, 3, 3, 4] }) as tf.Tensor;
      for (const [name, fn] of [["NCHW", nchw], ["dilation 2", dilated], ["int32", integer], ["NCHW backprop input", nchwInput], ["NCHW backprop filter", nchwFilter]] as const) {
        await tf.setBackend(blas.name);
        tf.tidy(() => {
          expect(isNativeOutput(fn()), name).toBe(false);
        });
        expect(await on(blas.name, fn), name).toEqual(await on("cpu", fn));
      }
    });
  });
}
