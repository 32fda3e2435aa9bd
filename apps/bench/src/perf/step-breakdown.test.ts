import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { breakDownStep, describeBreakdown } from "./step-breakdown.js";

describe("breakDownStep", () => {
  it("counts each kernel of a step once per step and sums their time", async () => {
    await tf.setBackend("cpu");
    const a = tf.ones([8, 8]);
    const before = tf.memory().numTensors;
    const step = () => tf.tidy(() => void tf.relu(tf.add(tf.matMul(a, a), 1)));
    const b = await breakDownStep(step, 2, 4, 2);
    expect(b.kernels).toBe(3);
    expect(b.top).toHaveLength(2);
    expect(b.top.every((t) => t.calls === 1 && t.ms >= 0)).toBe(true);
    expect(["BatchMatMul", "Add", "Relu"]).toContain(b.top[0]!.kernel);
    expect(b.kernelMs).toBeGreaterThanOrEqual(0);
    expect(b.outsideKernelsMs).toBeCloseTo(2 - b.kernelMs, 10);
    expect(describeBreakdown("x", b)).toMatch(/^x: 2\.00 ms\/step = \d+\.\d\d ms in 3 kernels \+ -?\d+\.\d\d ms outside them \(\w+ 1x \d+\.\d\d, \w+ 1x \d+\.\d\d\)$/);
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
  });

  it("counts the kernels inside a custom-gradient op once, not also the op's own profile entry", async () => {
    await tf.setBackend("cpu");
    const x = tf.ones([4, 4]);
    const square = tf.customGrad((t, save) => {
      (save as tf.GradSaveFunc)([t as tf.Tensor]);
      return { value: tf.mul(t as tf.Tensor, t as tf.Tensor), gradFunc: (dy, saved) => tf.mul(dy, tf.mul(saved[0]!, 2)) };
    });
    const b = await breakDownStep(() => tf.tidy(() => void tf.grad((t) => tf.sum(square(t) as tf.Tensor))(x)), 1, 2, 10);
    // Forward: Multiply (inside the op), Sum; backward: the sum's gradient and the op's two Multiplies, and what tf.grad adds.
    expect(b.top.every((t) => tf.getKernel(t.kernel, "cpu") !== undefined)).toBe(true);
    const profile = await tf.profile(() => tf.tidy(() => void square(x)));
    expect(profile.kernels.length).toBe(2); // the op's entry and the Multiply inside it: what the filter is for
    x.dispose();
  });
});
