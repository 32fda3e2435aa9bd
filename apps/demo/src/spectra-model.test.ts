import { describe, expect, it } from "vitest";
import { eiSplit, recurrentMatrix, summarise } from "./spectra-model.js";

describe("spectra model", () => {
  it("eiSplit(100, 9) is 90 E + 10 I (n_i = ceil(n / (r + 1)))", () => {
    expect(eiSplit(100, 9)).toEqual({ ne: 90, ni: 10 });
    expect(eiSplit(100, 99)).toEqual({ ne: 99, ni: 1 });
  });

  it("recurrentMatrix('colei', 60, 4, 0) has non-negative E columns, non-positive I columns and a zero diagonal", () => {
    const { data, ne, ni } = recurrentMatrix("colei", 60, 4, 0);
    expect(ne + ni).toBe(60);
    for (let r = 0; r < 60; r++) {
      expect(data[r * 60 + r]).toBe(0);
      for (let c = 0; c < 60; c++) {
        const v = data[r * 60 + c]!;
        if (c < ne) expect(v).toBeGreaterThanOrEqual(0);
        else expect(v).toBeLessThanOrEqual(0);
      }
    }
  });

  it("recurrentMatrix('dann', 50, 9, 1) is column-centred (W = W_EE − W_EI W_IE)", () => {
    const { data } = recurrentMatrix("dann", 50, 9, 1);
    for (let c = 0; c < 50; c++) {
      let s = 0;
      for (let r = 0; r < 50; r++) s += data[r * 50 + c]!;
      expect(Math.abs(s / 50)).toBeLessThan(1e-6);
    }
  });

  it("summarise: ColEI has ρ = 1.5 and a lower NSE than the standard and DANN matrices (n = 80, 9:1)", () => {
    const std = summarise("standard", 80, 9, 0);
    const col = summarise("colei", 80, 9, 0);
    const dann = summarise("dann", 80, 9, 0);
    expect(col.radius).toBeCloseTo(1.5, 6);
    expect(col.nse).toBeLessThan(std.nse - 0.05);
    expect(Math.abs(dann.nse - std.nse)).toBeLessThan(0.05);
    expect(std.hist.counts.reduce((a, b) => a + b, 0)).toBe(80);
  });
});
