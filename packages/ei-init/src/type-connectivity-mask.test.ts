import { describe, expect, it } from "vitest";
import { typeConnectivityMask } from "./type-connectivity-mask.js";
import { sampleGamma } from "./gamma-sampler.js";
import { createRandomSource } from "./random-source.js";

describe("typeConnectivityMask", () => {
  it("typeConnectivityMask({ne, ni, density:{fromItoI: 0, fromEtoI: 0.5}}) removes I→I, keeps about half of E→I, no autapses, seeded", () => {
    const a = typeConnectivityMask({ ne: 80, ni: 20, density: { fromItoI: 0, fromEtoI: 0.5 }, seed: 0 });
    const b = typeConnectivityMask({ ne: 80, ni: 20, density: { fromItoI: 0, fromEtoI: 0.5 }, seed: 0 });
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    let ei = 0;
    for (let i = 0; i < 100; i++) {
      expect(a.values[i * 100 + i]).toBe(0);
      for (let j = 0; j < 100; j++) {
        const v = a.values[i * 100 + j]!;
        if (i >= 80 && j >= 80) expect(v).toBe(0);
        else if (i >= 80) ei += v;
        else if (i !== j) expect(v).toBe(1);
      }
    }
    expect(ei / (20 * 80)).toBeCloseTo(0.5, 1);
    expect(() => typeConnectivityMask({ ne: 4, ni: 1, density: { fromEtoI: 1.5 } })).toThrow(/density.fromEtoI must be a number in \[0, 1\]; got 1.5/);
    expect(() => typeConnectivityMask({ ne: 4, ni: 1, density: { fromEtoI: 0.5 } })).toThrow(/a seed is required/);
  });

  it("sampleGamma(rng, shape, k, θ) has mean kθ and variance kθ² (k = 2 and k = 0.5)", () => {
    for (const k of [2, 0.5]) {
      const v = sampleGamma(createRandomSource(k * 10), [40000], k, 1.5).values;
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      const s2 = v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length;
      expect(m / (k * 1.5)).toBeCloseTo(1, 1);
      expect(s2 / (k * 1.5 * 1.5)).toBeCloseTo(1, 1);
      expect(v.every((x) => x > 0)).toBe(true);
    }
    expect(() => sampleGamma(createRandomSource(0), [2], -1)).toThrow(/k \(gamma shape\) must be a finite number > 0; got -1/);
  });
});
