import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { centralDifferencesInPlace, normalArray, relativeError, uniformArray, useBackendWithLeakCheck } from "@dale-nn/test-support";
import { createRandomSource } from "@dale-nn/ei-init";
import { DannDense } from "./dann-dense-layer.js";
import { ColEiDense } from "./column-ei-dense-layer.js";
import { StandardDense } from "./standard-dense-layer.js";
import { LayerNorm } from "./layer-norm-layer.js";
import { DannLinear } from "./dann-linear-layer.js";
import { parameterMeta } from "@dale-nn/core";
import { weightsOf } from "./test-support/layer-weights.js";
import { linear64, mat, dann64 } from "./test-support/float64-reference.js";


describe("dense layers", () => {
  useBackendWithLeakCheck("cpu", { disposeVariables: true });

  it("new DannDense({units, inhibitoryUnits}) tags W_EE, W_IE, W_EI, g as non-negative and α, β as free", () => {
    const layer = new DannDense({ units: 6, inhibitoryUnits: 2, seed: 0 });
    layer.build([null, 5]);
    const w = weightsOf(layer);
    expect(Object.keys(w).sort()).toEqual(["alpha", "beta", "g", "wEE", "wEI", "wIE"]);
    expect(parameterMeta(w.wEE!)).toMatchObject({ role: "EE", constraint: { kind: "nonneg" }, sizes: { d: 5, ne: 6, ni: 2 } });
    expect(parameterMeta(w.wIE!)?.role).toBe("IE");
    expect(parameterMeta(w.wEI!)?.role).toBe("EI");
    expect(parameterMeta(w.g!)).toMatchObject({ role: "gain", constraint: { kind: "nonneg" } });
    expect(parameterMeta(w.alpha!)).toMatchObject({ role: "alpha", constraint: { kind: "free" } });
    expect(parameterMeta(w.beta!)).toMatchObject({ role: "bias", constraint: { kind: "free" } });
    expect(w.wEE!.shape).toEqual([6, 5]);
  });

  it("DannDense layer gradients (through ReLU) match float64 finite differences for every parameter", () => {
    const B = 3, d = 6, ne = 4, ni = 2;
    const layer = new DannDense({ units: ne, inhibitoryUnits: ni, seed: 1, activation: "linear" });
    layer.build([null, d]);
    const rng = createRandomSource(2);
    const xs = uniformArray(rng, B * d);
    const R = normalArray(rng, B * ne);
    const w = weightsOf(layer);
    // Perturb away from the symmetric init so every gradient is informative.
    tf.tidy(() => {
      w.alpha!.assign(tf.tensor1d([-0.3, 0.4]));
      w.g!.assign(tf.tensor1d([0.8, 1.2, 1.0, 0.9]));
      w.wEI!.assign(tf.tensor2d(Float32Array.from({ length: ne * ni }, () => 0.2 + rng.uniform()), [ne, ni]));
    });
    const host = Object.fromEntries(Object.entries(w).map(([k, v]) => [k, Float64Array.from(v.dataSync())]));
    const loss64 = (): number => {
      const z = dann64(mat(B, d, xs), {
        wEE: mat(ne, d, host.wEE), wIE: mat(ni, d, host.wIE), wEI: mat(ne, ni, host.wEI),
        alpha: host.alpha!, g: host.g!, beta: host.beta!,
      });
      let s = 0;
      for (let i = 0; i < z.data.length; i++) s += Math.max(0, z.data[i]!) * R[i]!;
      return s;
    };
    const x = tf.tensor2d(Float32Array.from(xs), [B, d]);
    const Rt = tf.tensor2d(Float32Array.from(R), [B, ne]);
    const { grads, value } = tf.variableGrads(() => tf.sum(tf.mul(tf.relu(layer.apply(x) as tf.Tensor), Rt)) as tf.Scalar);
    expect(value.dataSync()[0]).toBeCloseTo(loss64(), 4);
    for (const [name, v] of Object.entries(w)) {
      const fd = centralDifferencesInPlace(host[name]!, loss64);
      const err = relativeError(grads[v.name]!.dataSync(), fd);
      expect(err, `${name}: ${err}`).toBeLessThan(1e-4);
    }
    tf.dispose([x, Rt, value, ...Object.values(grads)]);
  });

  for (const [label, make] of [
    ["ColEiDense", () => new ColEiDense({ units: 4, inhibitoryInputs: 2, seed: 3, activation: "linear" })],
    ["StandardDense", () => new StandardDense({ units: 4, seed: 3, activation: "linear" })],
  ] as const) {
    it(`${label} gradients match float64 finite differences for W and b`, () => {
      const B = 3, d = 6, out = 4;
      const layer = make();
      layer.build([null, d]);
      const rng = createRandomSource(4);
      const xs = uniformArray(rng, B * d);
      const R = normalArray(rng, B * out);
      const w = weightsOf(layer);
      const host = { w: Float64Array.from(w.w!.dataSync()), bias: Float64Array.from(w.bias!.dataSync()) };
      const loss64 = (): number => {
        const y = linear64(mat(B, d, xs), mat(out, d, host.w));
        let s = 0;
        for (let b = 0; b < B; b++) for (let o = 0; o < out; o++) s += Math.tanh(y.data[b * out + o]! + host.bias[o]!) * R[b * out + o]!;
        return s;
      };
      const x = tf.tensor2d(Float32Array.from(xs), [B, d]);
      const Rt = tf.tensor2d(Float32Array.from(R), [B, out]);
      const { grads, value } = tf.variableGrads(() => tf.sum(tf.mul(tf.tanh(layer.apply(x) as tf.Tensor), Rt)) as tf.Scalar);
      expect(value.dataSync()[0]).toBeCloseTo(loss64(), 4);
      for (const name of ["w", "bias"] as const) {
        const fd = centralDifferencesInPlace(host[name], loss64);
        expect(relativeError(grads[w[name]!.name]!.dataSync(), fd)).toBeLessThan(1e-4);
      }
      tf.dispose([x, Rt, value, ...Object.values(grads)]);
    });
  }

  it("LayerNorm matches tf.layers.layerNormalization and its gradients (x, γ, β) match float64 finite differences", () => {
    const B = 3, n = 5;
    const rng = createRandomSource(8);
    const xs = normalArray(rng, B * n);
    const R = normalArray(rng, B * n);
    const layer = new LayerNorm({ epsilon: 1e-3 });
    layer.build([null, n]);
    const w = weightsOf(layer);
    tf.tidy(() => {
      w.gamma!.assign(tf.tensor1d([0.5, 1, 1.5, 2, 0.8]));
      w.beta!.assign(tf.tensor1d([0.1, -0.2, 0, 0.3, 0]));
    });
    const reference = tf.layers.layerNormalization({ axis: -1, epsilon: 1e-3 });
    reference.build([null, n]);
    reference.setWeights([w.gamma!, w.beta!]);
    const x = tf.tensor2d(Float32Array.from(xs), [B, n]);
    const ours = layer.apply(x) as tf.Tensor;
    const theirs = reference.apply(x) as tf.Tensor;
    expect(relativeError(ours.dataSync(), theirs.dataSync())).toBeLessThan(1e-5);
    const host = { gamma: Float64Array.from(w.gamma!.dataSync()), beta: Float64Array.from(w.beta!.dataSync()), x: Float64Array.from(xs) };
    const loss64 = (): number => {
      let s = 0;
      for (let b = 0; b < B; b++) {
        const row = Array.from(host.x.subarray(b * n, (b + 1) * n));
        const m = row.reduce((a, v) => a + v, 0) / n;
        const v = row.reduce((a, u) => a + (u - m) ** 2, 0) / n;
        row.forEach((u, j) => (s += (((u - m) / Math.sqrt(v + 1e-3)) * host.gamma[j]! + host.beta[j]!) * R[b * n + j]!));
      }
      return s;
    };
    const Rt = tf.tensor2d(Float32Array.from(R), [B, n]);
    const grads = tf.grads((xx: tf.Tensor) => tf.sum(tf.mul(layer.apply(xx) as tf.Tensor, Rt)))([x]);
    const { grads: vgrads, value } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, Rt)) as tf.Scalar);
    expect(value.dataSync()[0]).toBeCloseTo(loss64(), 4);
    expect(relativeError(grads[0]!.dataSync(), centralDifferencesInPlace(host.x, loss64))).toBeLessThan(1e-4);
    expect(relativeError(vgrads[w.gamma!.name]!.dataSync(), centralDifferencesInPlace(host.gamma, loss64))).toBeLessThan(1e-4);
    expect(relativeError(vgrads[w.beta!.name]!.dataSync(), centralDifferencesInPlace(host.beta, loss64))).toBeLessThan(1e-4);
    expect(parameterMeta(w.gamma!)?.role).toBe("free");
    tf.dispose([x, ours, theirs, Rt, value, ...grads, ...Object.values(vgrads)]);
  });

  it("DannLinear gradients (W_EE, W_IE, W_EI, b) match float64 finite differences; its factors are tagged non-negative", () => {
    const B = 3, d = 6, ne = 4, ni = 2;
    const layer = new DannLinear({ units: ne, inhibitoryUnits: ni, seed: 5 });
    layer.build([null, d]);
    const w = weightsOf(layer);
    expect(parameterMeta(w.wIE!)).toMatchObject({ role: "IE", constraint: { kind: "nonneg" }, sizes: { d, ne, ni } });
    const rng = createRandomSource(6);
    tf.tidy(() => w.bias!.assign(tf.tensor1d([0.1, -0.2, 0.3, 0])));
    const xs = uniformArray(rng, B * d);
    const R = normalArray(rng, B * ne);
    const host = Object.fromEntries(Object.entries(w).map(([k, v]) => [k, Float64Array.from(v.dataSync())]));
    const loss64 = (): number => {
      let s = 0;
      for (let b = 0; b < B; b++) {
        for (let i = 0; i < ne; i++) {
          let z = host.bias![i]!;
          for (let k = 0; k < d; k++) {
            let m = host.wEE![i * d + k]!;
            for (let j = 0; j < ni; j++) m -= host.wEI![i * ni + j]! * host.wIE![j * d + k]!;
            z += m * xs[b * d + k]!;
          }
          s += Math.tanh(z) * R[b * ne + i]!;
        }
      }
      return s;
    };
    const x = tf.tensor2d(Float32Array.from(xs), [B, d]);
    const Rt = tf.tensor2d(Float32Array.from(R), [B, ne]);
    const { grads, value } = tf.variableGrads(() => tf.sum(tf.mul(tf.tanh(layer.apply(x) as tf.Tensor), Rt)) as tf.Scalar);
    expect(value.dataSync()[0]).toBeCloseTo(loss64(), 4);
    for (const [name, v] of Object.entries(w)) {
      const fd = centralDifferencesInPlace(host[name]!, loss64);
      expect(relativeError(grads[v.name]!.dataSync(), fd), name).toBeLessThan(1e-4);
    }
    tf.dispose([x, Rt, value, ...Object.values(grads)]);
  });

  it("ColEiDense tags W with column-sign (first d − n_i columns ≥ 0) and its init respects it; first layer is all non-negative", () => {
    const hidden = new ColEiDense({ units: 5, inhibitoryInputs: 3, seed: 0 });
    hidden.build([null, 10]);
    const w = weightsOf(hidden).w!;
    expect(parameterMeta(w)?.constraint).toEqual({ kind: "column-sign", nonnegColumns: 7 });
    const v = w.arraySync() as number[][];
    for (const row of v) row.forEach((x, c) => (c < 7 ? expect(x).toBeGreaterThanOrEqual(0) : expect(x).toBeLessThanOrEqual(0)));
    const first = new ColEiDense({ units: 5, inhibitoryInputs: 0, seed: 0, firstLayer: { inputMean: 0.1307 } });
    first.build([null, 10]);
    expect(parameterMeta(weightsOf(first).w!)?.constraint).toEqual({ kind: "nonneg" });
    const bias = weightsOf(first).bias!.dataSync();
    expect(bias[0]).toBeCloseTo(-10 * (1 / Math.sqrt(10)) * 0.1307, 5);
  });

  it("StandardDense({signFrozen:true}) tags W with frozen-sign", () => {
    const layer = new StandardDense({ units: 3, seed: 0, signFrozen: true });
    layer.build([null, 4]);
    expect(parameterMeta(weightsOf(layer).w!)?.constraint).toEqual({ kind: "frozen-sign" });
  });

  it("layers reject a wrong input width, n_i < 1, an unknown activation and a missing seed, naming the value", () => {
    const layer = new DannDense({ units: 3, inhibitoryUnits: 1, seed: 0 });
    layer.build([null, 4]);
    const x = tf.ones([2, 5]);
    // The built layer's inputSpec makes tfjs reject it before call(); call() itself says the same.
    expect(() => layer.apply(x)).toThrow(/expected axis -1 of input shape to have value 4 but got shape 2,5/);
    expect(() => layer.call(x)).toThrow(/input width must be 4 \(the layer was built for d = 4\); got 5/);
    x.dispose();
    expect(() => new DannDense({ units: 3, inhibitoryUnits: 0, seed: 0 })).toThrow(/inhibitoryUnits \(n_i\) must be an integer >= 1; got 0/);
    // @ts-expect-error bad activation
    expect(() => new StandardDense({ units: 3, seed: 0, activation: "gelu" })).toThrow(/unknown activation "gelu"/);
    // @ts-expect-error missing seed
    expect(() => new ColEiDense({ units: 3, inhibitoryInputs: 1 })).toThrow(/seed must be an integer >= 0 .*got undefined/);
  });
});
