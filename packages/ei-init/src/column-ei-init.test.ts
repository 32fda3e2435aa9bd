import { describe, expect, it } from "vitest";
import { columnEiExcitatoryScale, columnEiInit, splitExcitatoryInhibitory } from "./column-ei-init.js";
import { createRandomSource } from "./random-source.js";

describe("columnEiInit", () => {
  it("splitExcitatoryInhibitory(n, r) gives n_i = ceil(n/(r+1))", () => {
    expect(splitExcitatoryInhibitory(550, 10)).toEqual({ ne: 500, ni: 50 });
    expect(splitExcitatoryInhibitory(100, 9)).toEqual({ ne: 90, ni: 10 });
    expect(() => splitExcitatoryInhibitory(10, 0)).toThrow(/ratio must be a finite number > 0; got 0/);
  });

  it("columnEiInit (hidden) keeps column signs and gives z = Wx mean ≈ 0, var ≈ σ² for rectified-normal x (App. B.1)", () => {
    const ne = 500, ni = 50, d = ne + ni, out = 400;
    const p = columnEiInit({ inputs: d, outputs: out, inhibitoryInputs: ni, seed: 0 });
    expect(p.excitatoryInputs).toBe(ne);
    for (let r = 0; r < out; r++) {
      for (let c = 0; c < d; c++) {
        const v = p.w.values[r * d + c]!;
        if (c < ne) expect(v).toBeGreaterThanOrEqual(0);
        else expect(v).toBeLessThanOrEqual(0);
      }
    }
    // Statistics over data and parameters (as in eq. 17-19), sigma = 1.
    const rng = createRandomSource(9);
    let s = 0, s2 = 0, n = 0;
    for (let t = 0; t < 50; t++) {
      const x = Array.from({ length: d }, () => Math.max(0, rng.normal()));
      for (let r = 0; r < out; r++) {
        let z = 0;
        for (let c = 0; c < d; c++) z += p.w.values[r * d + c]! * x[c]!;
        s += z; s2 += z * z; n++;
      }
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    expect(Math.abs(mean)).toBeLessThan(0.15);
    expect(variance).toBeGreaterThan(0.8);
    expect(variance).toBeLessThan(1.2);
    expect(columnEiExcitatoryScale(ne, ni)).toBeCloseTo(Math.sqrt(1 / (((2 * Math.PI - 1) / (2 * Math.PI)) * (ne + ne * ne / ni))), 12);
  });

  it("columnEiInit({firstLayer}) makes all weights positive and centres the layer with the bias", () => {
    const p = columnEiInit({ inputs: 784, outputs: 10, inhibitoryInputs: 0, seed: 1, firstLayer: { inputMean: 0.1307 } });
    expect(p.w.values.every((v) => v >= 0)).toBe(true);
    expect(p.excitatoryInputs).toBe(784);
    expect(p.bias.values[0]).toBeCloseTo(-784 * (1 / Math.sqrt(784)) * 0.1307, 4);
  });

  it("columnEiInit rejects inhibitoryInputs >= inputs and a non-finite input mean", () => {
    expect(() => columnEiInit({ inputs: 5, outputs: 2, inhibitoryInputs: 5, seed: 0 })).toThrow(/inhibitoryInputs must be < inputs \(5\); got 5/);
    expect(() => columnEiInit({ inputs: 5, outputs: 2, inhibitoryInputs: 1, seed: 0, firstLayer: { inputMean: Number.NaN } })).toThrow(/inputMean must be a finite number; got NaN/);
  });
});
