import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { registerConvGradOverrides } from "./conv-grad-overrides.js";

function grads(): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.randomNormal([3, 6, 5, 4], 0, 1, "float32", 1) as tf.Tensor4D;
    const w3 = tf.randomNormal([3, 3, 4, 5], 0, 1, "float32", 2) as tf.Tensor4D;
    const w1 = tf.randomNormal([1, 1, 4, 7], 0, 1, "float32", 3) as tf.Tensor4D;
    const d = tf.randomNormal([3, 3, 4, 1], 0, 1, "float32", 4) as tf.Tensor4D;
    const f = (...[a, b, c]: tf.Tensor[]) =>
      tf.add(tf.add(tf.sum(tf.square(tf.conv2d(x, a as tf.Tensor4D, 1, "same"))), tf.sum(tf.sin(tf.conv2d(x, b as tf.Tensor4D, 1, "same")))), tf.sum(tf.square(tf.depthwiseConv2d(x, c as tf.Tensor4D, 1, "same")))) as tf.Scalar;
    const g = tf.grads(f)([w3, w1, d]);
    const valid = tf.grad((a: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, a as tf.Tensor4D, 1, "valid"))))(w3);
    const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.sin(tf.conv2d(input as tf.Tensor4D, w1, 1, "same"))))(x);
    const y = tf.conv2d(x, w1, 1, "same");
    return [...g, valid, dx, y].map((t) => t.dataSync() as Float32Array);
  }) as unknown as Float32Array[];
}

describe("registerConvGradOverrides", () => {
  it("registerConvGradOverrides('cpu') gives the CPU kernels' results (filter gradients 3×3 SAME / VALID, 1×1, depthwise; 1×1 forward and input gradient)", async () => {
    await tf.setBackend("cpu");
    const before = tf.memory().numTensors;
    const reference = grads();
    expect(registerConvGradOverrides("cpu")).toBe(true);
    const fast = grads();
    reference.forEach((r, i) => {
      const f = fast[i]!;
      expect(f.length).toBe(r.length);
      let worst = 0, scale = 0;
      for (let k = 0; k < r.length; k++) {
        worst = Math.max(worst, Math.abs(f[k]! - r[k]!));
        scale = Math.max(scale, Math.abs(r[k]!));
      }
      expect(worst / scale).toBeLessThan(1e-5);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it("registerConvGradOverrides('webgl') declines backends that are not CPU-like", () => {
    expect(registerConvGradOverrides("webgl")).toBe(false);
  });
});
