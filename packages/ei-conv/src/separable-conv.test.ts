import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { centralDifferencesInPlace, maxRelativeError, normalArray, relativeError, useBackendWithLeakCheck } from "@dale-nn/test-support";
import { createRandomSource } from "@dale-nn/ei-init";
import { parameterMeta } from "@dale-nn/core";
import { separableConv3x3 } from "./separable-conv.js";
import { effectiveKernel, kernelSignConstraint } from "./kernel-constraint.js";
import { SignedSeparableConv2d } from "./signed-separable-conv-layer.js";
import { denseFromSeparable64, maps, separable64 } from "./test-support/float64-conv.js";
import { weightsOf } from "./test-support/layer-weights.js";

describe("sign-constrained separable conv", () => {
  useBackendWithLeakCheck("cpu", { disposeVariables: true });

  const rng = createRandomSource(1);
  const signed = (n: number): Float32Array => Float32Array.from({ length: n }, () => 2 * rng.uniform() - 1);
  const [B, H, W, C, O] = [2, 5, 4, 3, 4];

  for (const constraint of ["abs", "projected", "none"] as const) {
    it(`separableConv3x3(x, kernel, "${constraint}") equals a float64 depthwise-then-pointwise conv and the rebuilt 3 × 3 × C_in × C_out kernel`, () => {
      const xv = signed(B * H * W * C);
      const dv = constraint === "projected" ? signed(9 * C).map(Math.abs) : signed(9 * C);
      const pv = constraint === "projected" ? signed(C * O).map(Math.abs) : signed(C * O);
      const y = tf.tidy(() => separableConv3x3(tf.tensor4d(xv, [B, H, W, C]), { depthwise: tf.tensor4d(dv, [3, 3, C, 1]), pointwise: tf.tensor4d(pv, [1, 1, C, O]) }, constraint));
      const abs = constraint === "abs";
      const x64 = maps(B, H, W, C, xv);
      expect(maxRelativeError(y.dataSync(), separable64(x64, dv, pv, O, abs).data)).toBeLessThan(1e-6);
      expect(maxRelativeError(y.dataSync(), denseFromSeparable64(x64, dv, pv, O, abs).data)).toBeLessThan(1e-6);
      y.dispose();
    });
  }

  it("separableConv3x3 gradients with W = |W̃| match float64 central finite differences for x, the depthwise and the pointwise kernel", () => {
    const xv = Float64Array.from(signed(B * H * W * C));
    const dv = Float64Array.from(signed(9 * C));
    const pv = Float64Array.from(signed(C * O));
    const R = normalArray(rng, B * H * W * O);
    const loss64 = (): number => {
      const y = separable64(maps(B, H, W, C, xv), dv, pv, O, true);
      return y.data.reduce((s, v, k) => s + v * R[k]!, 0);
    };
    const x = tf.tensor4d(Float32Array.from(xv), [B, H, W, C]);
    const d = tf.tensor4d(Float32Array.from(dv), [3, 3, C, 1]);
    const p = tf.tensor4d(Float32Array.from(pv), [1, 1, C, O]);
    const r = tf.tensor4d(Float32Array.from(R), [B, H, W, O]);
    const grads = tf.grads((xx: tf.Tensor, dd: tf.Tensor, pp: tf.Tensor) => tf.sum(tf.mul(separableConv3x3(xx as tf.Tensor4D, { depthwise: dd as tf.Tensor4D, pointwise: pp as tf.Tensor4D }, "abs"), r)))([x, d, p]);
    for (const [k, arr] of [xv, dv, pv].entries()) {
      const fd = centralDifferencesInPlace(arr, loss64);
      expect(relativeError(grads[k]!.dataSync(), fd)).toBeLessThan(1e-5);
    }
    tf.dispose([x, d, p, r, ...grads]);
  });

  it("effective kernels |W̃| stay >= 0 whatever the variable holds, also after large gradient steps", () => {
    const layer = new SignedSeparableConv2d({ filters: O, seed: 2 });
    layer.build([null, H, W, C]);
    const w = weightsOf(layer);
    const x = tf.randomNormal([B, H, W, C], 0, 1, "float32", 3);
    const opt = tf.train.sgd(10);
    for (let step = 0; step < 5; step++) {
      opt.minimize(() => tf.sum(layer.apply(x) as tf.Tensor) as tf.Scalar);
      for (const v of [w.depthwise!, w.pointwise!]) {
        expect(Math.min(...v.dataSync())).toBeLessThan(0);
        const eff = tf.tidy(() => effectiveKernel(v, "abs"));
        expect(Math.min(...eff.dataSync())).toBeGreaterThanOrEqual(0);
        eff.dispose();
      }
    }
    opt.dispose();
    x.dispose();
  });

  it("SignedSeparableConv2d({sign:'inhibitory', useBias:true}) computes b − |D̃|,|P̃| conv(x), tags its weights and round-trips through getConfig", () => {
    const layer = new SignedSeparableConv2d({ filters: O, seed: 4, sign: "inhibitory", useBias: true });
    layer.build([null, H, W, C]);
    const w = weightsOf(layer);
    tf.tidy(() => w.bias!.assign(tf.tensor1d([0.1, -0.2, 0.3, 0])));
    expect(parameterMeta(w.depthwise!)).toMatchObject({ role: "weight", constraint: kernelSignConstraint("abs"), sizes: { d: C, ne: O, ni: 0 } });
    expect(parameterMeta(w.bias!)).toMatchObject({ role: "bias" });
    const xv = signed(B * H * W * C);
    const x = tf.tensor4d(xv, [B, H, W, C]);
    const y = layer.apply(x) as tf.Tensor;
    const ref = separable64(maps(B, H, W, C, xv), w.depthwise!.dataSync(), w.pointwise!.dataSync(), O, true);
    const bias = w.bias!.dataSync();
    expect(maxRelativeError(y.dataSync(), ref.data.map((v, k) => bias[k % O]! - v))).toBeLessThan(1e-6);
    const copy = SignedSeparableConv2d.fromConfig(SignedSeparableConv2d, layer.getConfig()) as SignedSeparableConv2d;
    copy.build([null, H, W, C]);
    copy.setWeights(layer.getWeights());
    const y2 = copy.apply(x) as tf.Tensor;
    expect(Array.from(y2.dataSync())).toEqual(Array.from(y.dataSync()));
    const projected = new SignedSeparableConv2d({ filters: 2, seed: 0, constraint: "projected" });
    projected.build([null, 3, 3, 2]);
    expect(parameterMeta(weightsOf(projected).pointwise!)!.constraint).toEqual({ kind: "nonneg" });
    expect(Math.min(...weightsOf(projected).depthwise!.dataSync())).toBeGreaterThanOrEqual(0);
    tf.tidy(() => {
      expect(() => layer.apply(tf.zeros([1, H, W, C + 1]))).toThrow(/axis -1 of input shape to have value 3/);
    });
    tf.dispose([x, y, y2]);
  });

  it("separableConv3x3 and SignedSeparableConv2d reject bad shapes and options, naming the value", () => {
    tf.tidy(() => {
      const x = tf.zeros([1, 4, 4, 3]) as tf.Tensor4D;
      expect(() => separableConv3x3(x, { depthwise: tf.zeros([3, 3, 2, 1]) as tf.Tensor4D, pointwise: tf.zeros([1, 1, 3, 2]) as tf.Tensor4D })).toThrow(/depthwise kernel must have shape \[3, 3, 3, 1\] for 3 input channels; got \[3, 3, 2, 1\]/);
      expect(() => separableConv3x3(x, { depthwise: tf.zeros([3, 3, 3, 1]) as tf.Tensor4D, pointwise: tf.zeros([1, 1, 2, 2]) as tf.Tensor4D })).toThrow(/pointwise kernel must have shape \[1, 1, 3, C_out\].*got \[1, 1, 2, 2\]/);
      expect(() => separableConv3x3(tf.zeros([4, 4, 3]) as unknown as tf.Tensor4D, { depthwise: tf.zeros([3, 3, 3, 1]) as tf.Tensor4D, pointwise: tf.zeros([1, 1, 3, 2]) as tf.Tensor4D })).toThrow(/input must be rank 4 \[batch, H, W, C\]; got shape \[4, 4, 3\]/);
    });
    expect(() => new SignedSeparableConv2d({ filters: 2, seed: 0, constraint: "relu" as never })).toThrow(/constraint must be one of "abs", "projected", "none"; got "relu"/);
    expect(() => new SignedSeparableConv2d({ filters: 0, seed: 0 })).toThrow(/filters must be an integer >= 1; got 0/);
    expect(() => new SignedSeparableConv2d({ filters: 2, seed: 1.5 })).toThrow(/seed must be an integer >= 0.*got 1.5/);
  });
});
