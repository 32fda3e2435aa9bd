import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { centralDifferencesInPlace, maxRelativeError, normalArray, relativeError, uniformArray, useBackendWithLeakCheck } from "@dale-nn/test-support";
import { createRandomSource, dannDenseInit } from "@dale-nn/ei-init";
import { dannDense, dannDenseParts, type DannDenseParams } from "./dann-dense.js";
import { dann64, mat, type Dann64Params, type Mat } from "./test-support/float64-reference.js";

type Name = keyof DannDenseParams;
const NAMES: Name[] = ["wEE", "wIE", "wEI", "alpha", "g", "beta"];

function randomPositive(rng: ReturnType<typeof createRandomSource>, n: number, low = 0.05, high = 1): Float64Array {
  return uniformArray(rng, n, low, high);
}

function randomCase(seed: number, B: number, d: number, ne: number, ni: number) {
  const rng = createRandomSource(seed);
  const p64: Dann64Params = {
    wEE: mat(ne, d, randomPositive(rng, ne * d)),
    wIE: mat(ni, d, randomPositive(rng, ni * d)),
    wEI: mat(ne, ni, randomPositive(rng, ne * ni)),
    alpha: normalArray(rng, ni, 0.5),
    g: randomPositive(rng, ne, 0.5, 1.5),
    beta: normalArray(rng, ne, 0.1),
  };
  const x64 = mat(B, d, randomPositive(rng, B * d, 0, 1));
  return { p64, x64 };
}

function toTensors(p: Dann64Params): DannDenseParams {
  return {
    wEE: tf.tensor2d(Float32Array.from(p.wEE.data), [p.wEE.rows, p.wEE.cols]),
    wIE: tf.tensor2d(Float32Array.from(p.wIE.data), [p.wIE.rows, p.wIE.cols]),
    wEI: tf.tensor2d(Float32Array.from(p.wEI.data), [p.wEI.rows, p.wEI.cols]),
    alpha: tf.tensor1d(Float32Array.from(p.alpha)),
    g: tf.tensor1d(Float32Array.from(p.g)),
    beta: tf.tensor1d(Float32Array.from(p.beta)),
  };
}

/** Rounds a float64 case to float32 so that both implementations see identical inputs. */
function roundToFloat32(m: Mat): Mat {
  return mat(m.rows, m.cols, Float32Array.from(m.data));
}

describe("dannDense", () => {
  useBackendWithLeakCheck("cpu");

  const cases: Array<[string, number, number, number, number]> = [
    ["small", 5, 7, 6, 3],
    ["paper hidden layer d=784, ne=500, ni=50", 8, 784, 500, 50],
    ["paper output layer ni=1 (d=500, ne=10)", 16, 500, 10, 1],
  ];
  for (const [label, B, d, ne, ni] of cases) {
    it(`dannDense(x, params) matches an independent float64 eq. 1 to 1e-5 (${label})`, () => {
      const { p64, x64 } = randomCase(1, B, d, ne, ni);
      // Round the inputs to float32 first so the comparison measures only arithmetic error.
      const p32: Dann64Params = {
        wEE: roundToFloat32(p64.wEE),
        wIE: roundToFloat32(p64.wIE),
        wEI: roundToFloat32(p64.wEI),
        alpha: Float64Array.from(Float32Array.from(p64.alpha)),
        g: Float64Array.from(Float32Array.from(p64.g)),
        beta: Float64Array.from(Float32Array.from(p64.beta)),
      };
      const x32 = roundToFloat32(x64);
      const ref = dann64(x32, p32);
      const params = toTensors(p32);
      const x = tf.tensor2d(Float32Array.from(x32.data), [B, d]);
      const z = dannDense(x, params);
      expect(z.shape).toEqual([B, ne]);
      const got = z.dataSync();
      console.log(`dannDense vs float64 (${label}): max error / max |z| = ${maxRelativeError(got, ref.data).toExponential(2)}, ||Δ||/||z|| = ${relativeError(got, ref.data).toExponential(2)}`);
      expect(maxRelativeError(got, ref.data)).toBeLessThan(1e-5);
      expect(relativeError(got, ref.data)).toBeLessThan(1e-5);
      tf.dispose([z, x, ...Object.values(params)]);
    });
  }

  it("dannDense(x, params) matches float64 eq. 1 at the paper's initialisation (balanced E and I, d=784, ne=500, ni=50)", () => {
    const init = dannDenseInit({ d: 784, ne: 500, ni: 50, seed: 5 });
    const rng = createRandomSource(6);
    const B = 8;
    const x64 = mat(B, 784, Float32Array.from({ length: B * 784 }, () => Math.max(0, rng.normal())));
    const p64: Dann64Params = {
      wEE: mat(500, 784, init.wEE.values),
      wIE: mat(50, 784, init.wIE.values),
      wEI: mat(500, 50, init.wEI.values),
      alpha: Float64Array.from(init.alpha.values),
      g: Float64Array.from(init.g.values),
      beta: Float64Array.from(init.beta.values),
    };
    const ref = dann64(x64, p64);
    const params = toTensors(p64);
    const x = tf.tensor2d(Float32Array.from(x64.data), [B, 784]);
    const z = dannDense(x, params);
    // At balance z_E − W_EI z_I cancels about one digit, so this compares to the output scale.
    expect(maxRelativeError(z.dataSync(), ref.data)).toBeLessThan(1e-5);
    tf.dispose([z, x, ...Object.values(params)]);
  });

  it("tf gradients of dannDense match float64 central finite differences for x and all parameter groups", () => {
    const B = 4, d = 7, ne = 5, ni = 3;
    const { p64, x64 } = randomCase(2, B, d, ne, ni);
    const rng = createRandomSource(3);
    const R = normalArray(rng, B * ne);
    const lossOf = (x: Mat, p: Dann64Params): number => {
      const z = dann64(x, p);
      let s = 0;
      for (let i = 0; i < z.data.length; i++) s += Math.tanh(z.data[i]!) * R[i]!;
      return s;
    };
    // Float64 finite differences, one parameter group at a time.
    const fd: Record<string, Float64Array> = {};
    const groups: Record<string, Float64Array> = {
      x: x64.data, wEE: p64.wEE.data, wIE: p64.wIE.data, wEI: p64.wEI.data, alpha: p64.alpha, g: p64.g, beta: p64.beta,
    };
    for (const [name, arr] of Object.entries(groups)) {
      fd[name] = centralDifferencesInPlace(arr, () => lossOf(x64, p64));
    }
    const params = toTensors(p64);
    const x = tf.tensor2d(Float32Array.from(x64.data), [B, d]);
    const Rt = tf.tensor2d(Float32Array.from(R), [B, ne]);
    const grads = tf.grads((xx: tf.Tensor, a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, e: tf.Tensor, f: tf.Tensor, h: tf.Tensor) =>
      tf.sum(tf.mul(tf.tanh(dannDense(xx as tf.Tensor2D, { wEE: a, wIE: b, wEI: c, alpha: e, g: f, beta: h } as DannDenseParams)), Rt)),
    )([x, ...NAMES.map((n) => params[n])]);
    const names = ["x", ...NAMES];
    names.forEach((name, i) => {
      const err = relativeError(grads[i]!.dataSync(), fd[name]!);
      console.log(`dannDense gradient of ${name} vs float64 finite differences: relative error ${err.toExponential(2)}`);
      expect(err, `gradient of ${name}: relative error ${err}`).toBeLessThan(1e-4);
    });
    tf.dispose([...grads, x, Rt, ...Object.values(params)]);
  });

  it("dannDenseParts(x, params) returns z_E, z_I, W_EI z_I and γ consistent with z", () => {
    const { p64, x64 } = randomCase(4, 3, 6, 4, 2);
    const params = toTensors(p64);
    const x = tf.tensor2d(Float32Array.from(x64.data), [3, 6]);
    const parts = dannDenseParts(x, params);
    const recomposed = tf.tidy(() => tf.add(tf.div(tf.mul(params.g, tf.sub(parts.zE, parts.subtractive)), parts.gamma), params.beta));
    expect(relativeError(recomposed.dataSync(), parts.z.dataSync())).toBeLessThan(1e-6);
    expect(parts.zI.shape).toEqual([3, 2]);
    tf.dispose([recomposed, x, ...Object.values(parts), ...Object.values(params)]);
  });

  it("dannDense rejects a wrong input width, mismatched parameter shapes and (when asked) negative input", () => {
    const { p64 } = randomCase(5, 2, 6, 4, 2);
    const params = toTensors(p64);
    const bad = tf.ones([2, 5]) as tf.Tensor2D;
    expect(() => dannDense(bad, params)).toThrow(/input width must be d = 6 \(columns of wEE\); got 5/);
    const neg = tf.tensor2d([[0.1, -0.31, 0, 0, 0, 0]]);
    expect(() => dannDense(neg, params, { requireNonNegativeInput: true })).toThrow(/input must be non-negative \(Dale's law: inputs are excitatory\); min was -0.31/);
    const wrongAlpha = { ...params, alpha: tf.zeros([3]) as tf.Tensor1D };
    const ok = tf.ones([2, 6]) as tf.Tensor2D;
    expect(() => dannDense(ok, wrongAlpha)).toThrow(/alpha must have shape \[2\]; got \[3\]/);
    expect(() => dannDense(ok, params, { eps: -1 })).toThrow(/eps must be a finite number >= 0; got -1/);
    tf.dispose([bad, neg, ok, wrongAlpha.alpha, ...Object.values(params)]);
  });
});
