import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { BATCH_NORM_GRAD_KERNEL, BATCH_NORM_KERNEL, isBatchNormAvailable, runBatchNormKernel } from "@dale-nn/core";
import { centralDifferencesInPlace, maxRelativeError, normalArray, seededRandom, uniformArray, useBackendWithLeakCheck } from "@dale-nn/test-support";
import { maxRelativeDifference, on, openBlasForTests } from "./test-support/backends.js";
import { batchNormTrain64, batchNormWithStatistics64 } from "./test-support/batch-norm64.js";
import { isNativeOutput } from "./test-support/conv-reference.js";

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
    useBackendWithLeakCheck(blas.name);

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

  describe(`${BATCH_NORM_KERNEL}, its gradient and FusedBatchNorm on the OpenBLAS backend against the float64 reference (plain loops) and its central differences`, () => {
    useBackendWithLeakCheck(blas.name);

    /** Float32-representable values, so the float32 kernels and the float64 reference read the same numbers. */
    const f32 = (values: Float64Array): Float64Array => Float64Array.from(Float32Array.from(values));
    const sizeOf = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);
    const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
      return s;
    };
    /** Seeded x uniform in [lo, hi), γ in [0.5, 1.5), β in [−1, 1), float32-representable. */
    const trainInputs = (shape: readonly number[], seed: number, lo = -2, hi = 3) => {
      const rng = seededRandom(seed);
      const c = shape.at(-1)!;
      return { x: f32(uniformArray(rng, sizeOf(shape), lo, hi)), gamma: f32(uniformArray(rng, c, 0.5, 1.5)), beta: f32(uniformArray(rng, c, -1, 1)) };
    };
    type TrainInputs = ReturnType<typeof trainInputs>;
    const tensors = (shape: number[], p: TrainInputs) => ({
      x: tf.tensor(Float32Array.from(p.x), shape),
      gamma: tf.tensor1d(Float32Array.from(p.gamma)),
      beta: tf.tensor1d(Float32Array.from(p.beta)),
    });

    // [N, H, W, C] and [N, C]: C = 1, N = 1 with H·W > 1, odd sizes, a single position per channel,
    // and data far from 0 (a one-pass float32 variance would lose it).
    const forwardCases: Array<{ shape: number[]; epsilon: number; lo?: number; hi?: number }> = [
      { shape: [4, 5, 6, 7], epsilon: 1e-5 },
      { shape: [1, 4, 3, 5], epsilon: 1e-3 },
      { shape: [5, 3, 2, 1], epsilon: 1e-5 },
      { shape: [3, 5, 7, 3], epsilon: 1e-5 },
      { shape: [9, 3], epsilon: 1e-3 },
      { shape: [7, 1], epsilon: 1e-5 },
      { shape: [1, 1, 1, 5], epsilon: 1e-5 },
      { shape: [3, 5, 7, 3], epsilon: 1e-5, lo: 99, hi: 101 },
    ];
    for (const { shape, epsilon, lo, hi } of forwardCases) {
      it(`${BATCH_NORM_KERNEL}({x [${shape}]${lo === undefined ? "" : ` in [${lo}, ${hi})`}, γ, β}, {ε: ${epsilon}}): y, the batch mean and the biased batch variance are the float64 reference's to 1e-6`, () => {
        const c = shape.at(-1)!;
        const p = trainInputs(shape, sizeOf(shape), lo, hi);
        const out = tf.tidy(() => {
          const o = runBatchNormKernel(tensors(shape, p), { epsilon });
          return { y: o.y.dataSync() as Float32Array, mean: o.mean.dataSync() as Float32Array, variance: o.variance.dataSync() as Float32Array };
        });
        const ref = batchNormTrain64(p.x, p.gamma, p.beta, c, epsilon);
        for (const key of ["y", "mean", "variance"] as const) {
          const err = maxRelativeError(out[key], ref[key]);
          expect(err, `${key}: max relative error ${err}`).toBeLessThan(1e-6);
        }
      });
    }

    // L = Σ r ⊙ y (+ Σ s ⊙ μ + Σ u ⊙ σ², the gradient's dmean / dvariance inputs), central
    // differences of the float64 reference with h = 1e-4 against the float32 analytic gradient.
    const gradientCases: Array<{ shape: number[]; statistics: boolean }> = [
      { shape: [3, 4, 5, 3], statistics: false },
      { shape: [1, 4, 3, 5], statistics: false },
      { shape: [5, 3, 2, 1], statistics: false },
      { shape: [9, 3], statistics: false },
      { shape: [2, 3, 3, 2], statistics: true },
      { shape: [1, 3, 5, 1], statistics: true },
    ];
    for (const { shape, statistics } of gradientCases) {
      const what = statistics ? "Σ r ⊙ y + Σ s ⊙ μ + Σ u ⊙ σ²" : "Σ r ⊙ y";
      it(`${BATCH_NORM_KERNEL}({x [${shape}], γ, β}): dL/dx, dL/dγ, dL/dβ of L = ${what} from one ${BATCH_NORM_GRAD_KERNEL} call match float64 central differences of the reference to 1e-4`, async () => {
        const epsilon = 1e-3;
        const c = shape.at(-1)!;
        const p = trainInputs(shape, 40 + sizeOf(shape));
        const rng = seededRandom(90 + sizeOf(shape));
        const r = f32(normalArray(rng, sizeOf(shape)));
        const s = statistics ? f32(normalArray(rng, c)) : new Float64Array(c);
        const u = statistics ? f32(normalArray(rng, c)) : new Float64Array(c);
        const loss64 = (): number => {
          const o = batchNormTrain64(p.x, p.gamma, p.beta, c, epsilon);
          return dot(o.y, r) + dot(o.mean, s) + dot(o.variance, u);
        };
        let grads: Float32Array[] = [];
        const profile = await tf.profile(() => {
          grads = tf.tidy(() => {
            const t = tensors(shape, p);
            const [rt, st, ut] = [tf.tensor(Float32Array.from(r), shape), tf.tensor1d(Float32Array.from(s)), tf.tensor1d(Float32Array.from(u))];
            const loss = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Scalar => {
              const o = runBatchNormKernel({ x, gamma: gamma as tf.Tensor1D, beta: beta as tf.Tensor1D }, { epsilon });
              const ly = tf.sum(tf.mul(o.y, rt));
              return (statistics ? tf.addN([ly, tf.sum(tf.mul(o.mean, st)), tf.sum(tf.mul(o.variance, ut))]) : ly) as tf.Scalar;
            };
            return tf.grads(loss)([t.x, t.gamma, t.beta]).map((g) => Float32Array.from(g.dataSync()));
          });
        });
        expect(profile.kernels.filter((k) => k.name === BATCH_NORM_GRAD_KERNEL)).toHaveLength(1);
        (["x", "gamma", "beta"] as const).forEach((name, i) => {
          const fd = centralDifferencesInPlace(p[name], loss64, 1e-4);
          const err = maxRelativeError(grads[i]!, fd);
          expect(err, `dL/d${name}: max relative error ${err}`).toBeLessThan(1e-4);
        });
      });
    }

    // The inference path (moving statistics): DaleBatchNorm_v1 has none; tf.batchNorm (FusedBatchNorm,
    // tfjs-layers' BatchNormalization) with given statistics runs this backend's native loop, and its
    // gradient is tfjs's FusedBatchNorm gradient on this backend's ops.
    for (const shape of [[4, 5, 6, 7], [1, 4, 3, 5], [5, 3, 2, 1], [9, 3]]) {
      it(`tf.batchNorm(x [${shape}], movingMean, movingVariance, β, γ, 1e-3) is the float64 reference's to 1e-6, and its gradients of all five inputs match its central differences to 1e-4`, () => {
        const epsilon = 1e-3;
        const c = shape.at(-1)!;
        const rng = seededRandom(7 + sizeOf(shape));
        const names = ["x", "mean", "variance", "offset", "scale"] as const;
        const p = {
          x: f32(uniformArray(rng, sizeOf(shape), -2, 3)),
          mean: f32(uniformArray(rng, c, -1, 1)),
          variance: f32(uniformArray(rng, c, 0.2, 2)),
          offset: f32(uniformArray(rng, c, -1, 1)),
          scale: f32(uniformArray(rng, c, 0.5, 1.5)),
        };
        const r = f32(normalArray(rng, sizeOf(shape)));
        const y64 = (): Float64Array => batchNormWithStatistics64(p.x, p.mean, p.variance, p.scale, p.offset, c, epsilon);
        const { y, native, grads } = tf.tidy(() => {
          const [x, mean, variance, offset, scale] = names.map((n) => (n === "x" ? tf.tensor(Float32Array.from(p.x), shape) : tf.tensor1d(Float32Array.from(p[n]))));
          const out = tf.batchNorm(x!, mean!, variance!, offset, scale, epsilon);
          const rt = tf.tensor(Float32Array.from(r), shape);
          const loss = (...a: tf.Tensor[]): tf.Scalar => tf.sum(tf.mul(tf.batchNorm(a[0]!, a[1]!, a[2]!, a[3], a[4], epsilon), rt));
          return {
            y: out.dataSync() as Float32Array,
            native: isNativeOutput(out),
            grads: tf.grads(loss)([x!, mean!, variance!, offset!, scale!]).map((g) => Float32Array.from(g.dataSync())),
          };
        });
        expect(native).toBe(true);
        const errY = maxRelativeError(y, y64());
        expect(errY, `y: max relative error ${errY}`).toBeLessThan(1e-6);
        names.forEach((name, i) => {
          const fd = centralDifferencesInPlace(p[name], () => dot(y64(), r), 1e-4);
          const err = maxRelativeError(grads[i]!, fd);
          expect(err, `dL/d${name}: max relative error ${err}`).toBeLessThan(1e-4);
        });
      });
    }
  });
}
