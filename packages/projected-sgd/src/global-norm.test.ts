import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useLeakCheck } from "@dale-nn/test-support";
import { globalNorm } from "./global-norm.js";

describe("globalNorm", () => {
  useLeakCheck();

  it("globalNorm({a: [3], b: [[4]]}) is 5, and the same for a list", () => {
    const a = tf.tensor1d([3]);
    const b = tf.tensor2d([[4]]);
    const n1 = globalNorm({ a, b });
    const n2 = globalNorm([a, b]);
    expect(n1.dataSync()[0]).toBe(5);
    expect(n2.dataSync()[0]).toBe(5);
    tf.dispose([a, b, n1, n2]);
  });

  it("globalNorm({}) is 0", () => {
    const n = globalNorm({});
    expect(n.dataSync()[0]).toBe(0);
    n.dispose();
  });
});
