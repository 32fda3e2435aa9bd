import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { maskedCrossEntropy } from "./masked-cross-entropy.js";
import { crossEntropy64, uniforms } from "./internal/reference.js";

describe("maskedCrossEntropy", () => {
  useBackendWithLeakCheck("cpu");

  const B = 4, T = 6, K = 3;
  const zv = uniforms(B * T * K, 5, -3, 3);
  const lv = Int32Array.from(uniforms(B * T, 6, 0, 1), (u) => Math.floor(u * K));
  const mv = Float32Array.from(uniforms(B * T, 7, 0, 1), (u) => (u < 0.3 ? 0 : 1));

  it("maskedCrossEntropy(z, labels, m) = −Σ m log softmax(z)[label] / Σ m, as a float64 reference computes it", () => {
    const [z, l, m] = [tf.tensor3d(zv, [B, T, K]), tf.tensor2d(lv, [B, T], "int32"), tf.tensor2d(mv, [B, T])];
    const loss = maskedCrossEntropy(z, l, m);
    expect(loss.dataSync()[0]).toBeCloseTo(crossEntropy64(zv, lv, mv, K), 5);
    const all = maskedCrossEntropy(z, l, m, { divideBy: "all-elements" });
    expect(all.dataSync()[0]).toBeCloseTo(crossEntropy64(zv, lv, mv, K, "all-elements"), 5);
    tf.dispose([z, l, m, loss, all]);
  });

  it("an all-zero mask gives 0; uniform logits give log K on the masked steps", () => {
    const z = tf.zeros([B, T, K]);
    const l = tf.tensor2d(lv, [B, T], "int32");
    const zero = tf.zeros([B, T]);
    const m = tf.tensor2d(mv, [B, T]);
    const [a, b] = [maskedCrossEntropy(z, l, zero), maskedCrossEntropy(z, l, m)];
    expect(a.dataSync()[0]).toBe(0);
    expect(b.dataSync()[0]).toBeCloseTo(Math.log(K), 6);
    tf.dispose([z, l, zero, m, a, b]);
  });

  it("the gradient in the logits is m (softmax(z) − onehot(label)) / Σ m", () => {
    const [z, l, m] = [tf.tensor3d(zv, [B, T, K]), tf.tensor2d(lv, [B, T], "int32"), tf.tensor2d(mv, [B, T])];
    const g = tf.grad((x: tf.Tensor) => maskedCrossEntropy(x, l, m))(z);
    const gv = g.dataSync();
    const msum = mv.reduce((a, b) => a + b, 0);
    for (let s = 0; s < B * T; s += 3) {
      const row = Array.from(zv.subarray(s * K, s * K + K));
      const mx = Math.max(...row);
      const e = row.map((v) => Math.exp(v - mx));
      const tot = e.reduce((a, b) => a + b, 0);
      for (let k = 0; k < K; k++) expect(gv[s * K + k]).toBeCloseTo((mv[s]! * (e[k]! / tot - (k === lv[s] ? 1 : 0))) / msum, 6);
    }
    tf.dispose([z, l, m, g]);
  });

  it("maskedCrossEntropy rejects labels or a mask of the wrong shape, naming the shapes", () => {
    const z = tf.zeros([2, 3, 4]);
    const l = tf.zeros([2, 4], "int32");
    const m = tf.zeros([2, 3]);
    expect(() => maskedCrossEntropy(z, l, m)).toThrow(/logits have shape \[2, 3, 4\], labels \[2, 4\], mask \[2, 3\]; expected labels and mask of shape \[2, 3\]/);
    tf.dispose([z, l, m]);
  });
});
