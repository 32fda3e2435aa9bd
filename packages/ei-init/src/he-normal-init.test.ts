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
  it("heNormalInit({gain: 1}) has variance 1/d (the reference code's first layer) and rejects a gain <= 0", () => {
    const d = 784;
    const { w } = heNormalInit({ inputs: d, outputs: 500, seed: 1, gain: 1 });
    const n = w.values.length;
    const mean = w.values.reduce((a, v) => a + v, 0) / n;
    const variance = w.values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
    // 392,000 draws: the sample variance's relative std is √(2/n) ≈ 0.0023.
    expect(Math.abs(variance * d - 1)).toBeLessThan(0.01);
    expect(() => heNormalInit({ inputs: d, outputs: 5, seed: 1, gain: 0 })).toThrow(/gain/);
  });
});
