import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { maskedMse } from "./masked-mse.js";
import { mse64, uniforms } from "./internal/reference.js";

describe("maskedMse", () => {
  useBackendWithLeakCheck("cpu");

  const B = 3, T = 7, N = 4;
  const zv = uniforms(B * T * N, 1);
  const yv = uniforms(B * T * N, 2);
  const mv = Float32Array.from(uniforms(B * T * N, 3, 0, 1), (u) => (u < 0.4 ? 0 : u < 0.7 ? 1 : u));

  it("maskedMse(z, y, m) = Σ m (z − y)² / Σ m, as a float64 reference computes it", () => {
    const [z, y, m] = [tf.tensor3d(zv, [B, T, N]), tf.tensor3d(yv, [B, T, N]), tf.tensor3d(mv, [B, T, N])];
    const loss = maskedMse(z, y, m);
    expect(loss.shape).toEqual([]);
    expect(loss.dataSync()[0]).toBeCloseTo(mse64(zv, yv, mv, N), 6);
    const all = maskedMse(z, y, m, { divideBy: "all-elements" });
    expect(all.dataSync()[0]).toBeCloseTo(mse64(zv, yv, mv, N, "all-elements"), 6);
    tf.dispose([z, y, m, loss, all]);
  });

  it("maskedMse(z, y, stepMask) broadcasts a [batch, T] mask over the outputs (denominator Σ m · nOut)", () => {
    const sv = Float32Array.from(uniforms(B * T, 4, 0, 1), (u) => (u < 0.5 ? 0 : 1));
    const [z, y, m] = [tf.tensor3d(zv, [B, T, N]), tf.tensor3d(yv, [B, T, N]), tf.tensor2d(sv, [B, T])];
    const loss = maskedMse(z, y, m);
    expect(loss.dataSync()[0]).toBeCloseTo(mse64(zv, yv, sv, N), 6);
    tf.dispose([z, y, m, loss]);
  });

  it("an all-zero mask gives 0, and the gradient is 2 m (z − y) / Σ m", () => {
    const [z, y] = [tf.tensor3d(zv, [B, T, N]), tf.tensor3d(yv, [B, T, N])];
    const zero = tf.zeros([B, T, N]);
    const l0 = maskedMse(z, y, zero);
    expect(l0.dataSync()[0]).toBe(0);
    const m = tf.tensor3d(mv, [B, T, N]);
    const g = tf.grad((x: tf.Tensor) => maskedMse(x, y, m))(z);
    const msum = mv.reduce((a, b) => a + b, 0);
    const gv = g.dataSync();
    for (let i = 0; i < zv.length; i += 5) expect(gv[i]).toBeCloseTo((2 * mv[i]! * (zv[i]! - yv[i]!)) / msum, 6);
    tf.dispose([z, y, zero, l0, m, g]);
  });

  it("maskedMse rejects mismatched shapes and an unknown divideBy, naming them", () => {
    const a = tf.zeros([2, 3, 4]);
    const b = tf.zeros([2, 3, 5]);
    const m = tf.zeros([2, 4]);
    expect(() => maskedMse(a, b, a)).toThrow(/outputs have shape \[2, 3, 4\] and targets \[2, 3, 5\]; expected equal shapes/);
    expect(() => maskedMse(a, a, m)).toThrow(/mask has shape \[2, 4\]; expected \[2, 3, 4\] or \[2, 3\]/);
    expect(() => maskedMse(a, a, a, { divideBy: "batch" as never })).toThrow(/divideBy must be "mask-sum" or "all-elements"; got "batch"/);
    tf.dispose([a, b, m]);
  });
});
