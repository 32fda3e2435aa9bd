import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { registerWasmTransposedMatMulOverride } from "./transposed-mat-mul-override.js";

/** matMul with every flag combination, plus the gradients of a transposeB product, as host arrays. */
const products = (): number[][] =>
  tf.tidy(() => {
    const a = tf.randomNormal([5, 7], 0, 1, "float32", 1);
    const b = tf.randomNormal([7, 4], 0, 1, "float32", 2);
    const aT = tf.transpose(a);
    const bT = tf.transpose(b);
    const batched = tf.randomNormal([3, 5, 7], 0, 1, "float32", 3);
    const out = [tf.matMul(a, b), tf.matMul(aT, b, true, false), tf.matMul(a, bT, false, true), tf.matMul(aT, bT, true, true), tf.matMul(batched, bT, false, true)];
    const grads = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, w, false, true))))([a, bT]);
    return [...out, ...grads].map((t) => Array.from(t.dataSync()));
  });

describe("registerWasmTransposedMatMulOverride", () => {
  useBackendWithLeakCheck("cpu");

  for (const backend of ["wasm", "cpu"]) {
    it(`registerWasmTransposedMatMulOverride(${JSON.stringify(backend)}) gives the same products and gradients for every transpose flag, and its restore undoes it`, async () => {
      await tf.setBackend(backend);
      const original = tf.getKernel("BatchMatMul", backend);
      const plain = products();
      const restore = registerWasmTransposedMatMulOverride(backend);
      expect(tf.getKernel("BatchMatMul", backend)).not.toBe(original);
      expect(registerWasmTransposedMatMulOverride(backend)).toBeTypeOf("function"); // a second call does nothing
      const numTensors = tf.memory().numTensors;
      const overridden = products();
      expect(tf.memory().numTensors).toBe(numTensors); // the explicit transposes are freed
      restore();
      expect(tf.getKernel("BatchMatMul", backend)).toBe(original);
      expect(overridden.length).toBe(plain.length);
      overridden.forEach((values, i) => values.forEach((v, j) => expect(Math.abs(v - plain[i]![j]!), `product ${i}`).toBeLessThan(1e-4 * Math.max(1, Math.abs(plain[i]![j]!)))));
      await tf.setBackend("cpu");
    });
  }

  it("registerWasmTransposedMatMulOverride on a backend without BatchMatMul fails naming the backend and what to import", () => {
    expect(() => registerWasmTransposedMatMulOverride("nosuchbackend")).toThrow(
      /backend "nosuchbackend" has no BatchMatMul kernel registered; import its package \(e.g. @tensorflow\/tfjs-backend-wasm\)/,
    );
  });
});
