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
});
