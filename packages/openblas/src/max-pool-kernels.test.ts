import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { seededRandom, useBackendWithLeakCheck } from "@dale-nn/test-support";
import { on, openBlasForTests } from "./test-support/backends.js";
import { isNativeOutput, referenceMaxPool } from "./test-support/conv-reference.js";

const blas = openBlasForTests();

/**
 * Inputs with many exact ties, as after a ReLU (about a quarter 0, the rest on a grid of halves
 * up to 3, some −0), drawn in JavaScript so that both backends get the same bits.
 */
const tiedInput = (shape: number[], seed: number): tf.Tensor => {
  const rng = seededRandom(seed);
  const values = Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => {
    const v = Math.round(rng.uniform() * 8 - 2) / 2;
    return v < 0 ? (rng.uniform() < 0.5 ? -0 : 0) : v;
  });
  return tf.tensor(values, shape);
};

/** y = maxPool(x) and the gradient of Σ y ⊙ r with respect to x (dL/dy = r). */
const poolAndGrad = (x: () => tf.Tensor, size: number | [number, number], strides: number | [number, number], pad: "same" | "valid", seed = 0) => () => {
  const input = x() as tf.Tensor4D;
  const y = tf.maxPool(input, size, strides, pad);
  const r = tf.randomUniform(y.shape, -1, 1, "float32", seed + 9);
  const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, size, strides, pad), r)))(input);
  return [y, dx];
};

const SHAPES: number[][] = [[1, 7, 5, 3], [3, 6, 6, 13], [2, 9, 4, 16], [2, 1, 1, 5]];
const WINDOWS: Array<number | [number, number]> = [3, 2, [2, 3], 1];
const STRIDES: Array<number | [number, number]> = [1, 2, [3, 1]];

if (!blas.registered) {
  describe("max-pool kernels without the addon", () => {
    it("the OpenBLAS backend is reported unavailable", () => {
      expect(blas.notice).toMatch(/^OpenBLAS backend unavailable: /);
    });
  });
} else {
  describe("MaxPool and MaxPoolGrad on the OpenBLAS backend", () => {
    useBackendWithLeakCheck(blas.name);

    it("maxPool(x, size, strides, pad) and its gradient are the plain CPU backend's bit for bit, ties included, for every shape, window, stride and padding (each run twice: reused buffers are NaN-poisoned)", async () => {
      let cases = 0;
      for (const shape of SHAPES) {
        for (const size of WINDOWS) {
          for (const strides of STRIDES) {
            for (const pad of ["same", "valid"] as const) {
              const [kh, kw] = Array.isArray(size) ? size : [size, size];
              if (pad === "valid" && (kh > shape[1]! || kw > shape[2]!)) continue;
              const label = `x [${shape}] size ${size} strides ${strides} ${pad}`;
              const f = poolAndGrad(() => tiedInput(shape, cases + 1), size, strides, pad, cases);
              const plain = await on<unknown[]>("cpu", f);
              for (let run = 0; run < 2; run++) expect(await on<unknown[]>(blas.name, f), label).toEqual(plain);
              cases++;
            }
          }
        }
      }
      expect(cases).toBeGreaterThan(70);
    });

    it("the networks' pools (3 × 3 SAME, stride 1 and 2) run natively, forward and gradient", async () => {
      await tf.setBackend(blas.name);
      tf.tidy(() => {
        for (const strides of [1, 2]) {
          const x = tiedInput([2, 8, 8, 5], 3) as tf.Tensor4D;
          const y = tf.maxPool(x, 3, strides, "same");
          const dx = tf.engine().runKernel("MaxPoolGrad", { dy: y, input: x, output: y }, { filterSize: 3, strides, pad: "same" }) as tf.Tensor;
          expect(isNativeOutput(y), `forward stride ${strides}`).toBe(true);
          expect(isNativeOutput(dx), `gradient stride ${strides}`).toBe(true);
        }
      });
    });

    it("matches the written-out first-maximum rule; NaN never wins, an all-NaN window gives −∞ and no gradient, ±0 keep the first", async () => {
      // 2 × 2 windows: [NaN NaN / NaN NaN], [0 −0 / −1 −2], [−0 0 / −∞ −3], [5 NaN / 5 5]
      const values = [NaN, NaN, 0, -0, NaN, NaN, -1, -2, -0, 0, 5, NaN, -Infinity, -3, 5, 5];
      const x = () => tf.tensor4d(values, [1, 4, 4, 1]);
      const f = poolAndGrad(x, 2, 2, "valid", 40);
      const [y, dx] = await on<number[][]>(blas.name, () => f().map((t) => t.flatten()));
      const r = await on<number[]>("cpu", () => tf.randomUniform([1, 2, 2, 1], -1, 1, "float32", 49).flatten());
      const ref = referenceMaxPool(values, [1, 4, 4, 1], r, { kh: 2, kw: 2, sh: 2, sw: 2, pad: "valid" });
      expect(y).toEqual(Array.from(ref.y));
      expect(dx).toEqual(Array.from(ref.dx));
      expect(y).toEqual([-Infinity, 0, -0, 5]);
      expect(dx!.map((v, i) => (v !== 0 ? i : -1)).filter((i) => i >= 0)).toEqual([2, 8, 10]);
      expect(await on(blas.name, f)).toEqual(await on("cpu", f));
    });

    it("int32 data and a 1 × 1 stride-1 window (an identity) run the plain CPU kernel", async () => {
      const integer = () => tf.maxPool(tf.tensor4d([1, 5, 2, 4], [1, 2, 2, 1], "int32"), 2, 1, "same");
      // (an input made from an array: the identity returns its buffer, which the pool does not own)
      const identity = () => tf.maxPool(tf.tensor4d(Array.from({ length: 36 }, (_, i) => (i * 7) % 5), [2, 3, 3, 2]), 1, 1, "same");
      for (const [name, fn] of [["int32", integer], ["identity", identity]] as const) {
        await tf.setBackend(blas.name);
        tf.tidy(() => {
          expect(isNativeOutput(fn()), name).toBe(false);
        });
        expect(await on(blas.name, fn), name).toEqual(await on("cpu", fn));
      }
    });
  });
}
