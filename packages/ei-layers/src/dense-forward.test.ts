import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { maxRelativeError, useBackendWithLeakCheck } from "@dale-nn/test-support";
import { denseForward } from "./dense-forward.js";
// Test code only, never packaged.
import { linear64, mat } from "./test-support/float64-reference.js";

const x = () => tf.tensor2d([[0.5, -1, 2], [1, 0.25, -0.75]]);
const w = () => tf.tensor2d([[1, 2, -1], [0.5, -0.5, 0.25], [-2, 1, 0], [0, 0, 0]]);
const b = () => tf.tensor1d([0.1, -0.2, 0.3, 0]);

/** f(x Wᵀ + b) in float64. */
function reference(f: (z: number) => number): number[] {
  const [xs, ws, bias] = tf.tidy(() => [x().dataSync(), w().dataSync(), b().dataSync()]);
  const z = linear64(mat(2, 3, xs), mat(4, 3, ws));
  return Array.from(z.data, (v, i) => f(v + bias[i % 4]!));
}

describe("denseForward", () => {
  useBackendWithLeakCheck("cpu");

  it("denseForward(x, { w, b }) is relu(x Wᵀ + b) by default, W [out, d] post x pre", () => {
    const y = tf.tidy(() => denseForward(x(), { w: w(), b: b() }));
    expect(y.shape).toEqual([2, 4]);
    expect(maxRelativeError(y.dataSync(), reference((z) => Math.max(0, z)))).toBeLessThan(1e-6);
    y.dispose();
  });

  it("denseForward(x, { w, b }, { activation }) applies linear, tanh, sigmoid and softmax to x Wᵀ + b", () => {
    for (const [activation, f] of [["linear", (z: number) => z], ["tanh", Math.tanh], ["sigmoid", (z: number) => 1 / (1 + Math.exp(-z))]] as const) {
      const y = tf.tidy(() => Array.from(denseForward(x(), { w: w(), b: b() }, { activation }).dataSync()));
      expect(maxRelativeError(y, reference(f)), activation).toBeLessThan(1e-6);
    }
    const rows = tf.tidy(() => Array.from(tf.sum(denseForward(x(), { w: w(), b: b() }, { activation: "softmax" }), 1).dataSync()));
    rows.forEach((s) => expect(s).toBeCloseTo(1, 6));
  });

  it("denseForward rejects a width mismatch, a bias of the wrong length and an unknown activation, naming them", () => {
    tf.tidy(() => {
      expect(() => denseForward(x(), { w: tf.zeros([4, 5]) as tf.Tensor2D, b: b() })).toThrow(
        new RangeError("denseForward: expected x [B, d] and w [out, d] with the same d; got x [2, 3], w [4, 5]"),
      );
      expect(() => denseForward(x(), { w: w(), b: tf.zeros([3]) as tf.Tensor1D }, { name: "StandardDense(d1)" })).toThrow(
        new RangeError("StandardDense(d1): bias must have shape [4] (the rows of w); got [3]"),
      );
      expect(() => denseForward(x(), { w: w(), b: b() }, { activation: "gelu" as never })).toThrow(
        new TypeError('denseForward: unknown activation "gelu"; expected one of relu, softmax, linear, sigmoid, tanh'),
      );
    });
  });
});
