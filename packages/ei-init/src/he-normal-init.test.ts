import { describe, expect, it } from "vitest";
import { heNormalInit } from "./he-normal-init.js";

describe("heNormalInit", () => {
  it("heNormalInit({inputs:784, outputs:500}) has mean 0 and variance 2/784", () => {
    const { w, bias } = heNormalInit({ inputs: 784, outputs: 500, seed: 0 });
    let s = 0, s2 = 0;
    for (const v of w.values) { s += v; s2 += v * v; }
    const n = w.values.length;
    expect(Math.abs(s / n)).toBeLessThan(0.001);
    expect((s2 / n) / (2 / 784)).toBeCloseTo(1, 1);
    expect(Array.from(bias.values).every((v) => v === 0)).toBe(true);
  });
});
