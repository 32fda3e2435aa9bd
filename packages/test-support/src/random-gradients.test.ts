import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { randomGradients } from "./random-gradients.js";
import { useBackendWithLeakCheck } from "./use-backend-with-leak-check.js";

describe("randomGradients", () => {
  useBackendWithLeakCheck();

  it("randomGradients(vars, seed, std) gives vars[i] the tensor tf.randomNormal(shape, 0, std, 'float32', seed + i), keyed by name", () => {
    const vars = tf.tidy(() => [tf.variable(tf.zeros([2, 3]), true, "rg_a"), tf.variable(tf.zeros([4]), true, "rg_b")]);
    const g = randomGradients(vars, 20, 3);
    expect(Object.keys(g)).toEqual(["rg_a", "rg_b"]);
    const ref = [tf.randomNormal([2, 3], 0, 3, "float32", 20), tf.randomNormal([4], 0, 3, "float32", 21)];
    expect(g["rg_a"]!.shape).toEqual([2, 3]);
    expect(Array.from(g["rg_a"]!.dataSync())).toEqual(Array.from(ref[0]!.dataSync()));
    expect(Array.from(g["rg_b"]!.dataSync())).toEqual(Array.from(ref[1]!.dataSync()));
    tf.dispose([...Object.values(g), ...ref, ...vars]);
  });

  it("randomGradients(vars with a repeated name) throws naming it, making no tensor", () => {
    const v = tf.tidy(() => tf.variable(tf.zeros([1]), true, "rg_same"));
    const before = tf.memory().numTensors;
    expect(() => randomGradients([v, v], 0)).toThrow('randomGradients: two variables are named "rg_same"; gradients are keyed by name');
    expect(tf.memory().numTensors).toBe(before);
    v.dispose();
  });
});
