import { describe, expect, it } from "vitest";
import { spearmanCorrelation } from "./spearman-correlation.js";

describe("spearmanCorrelation", () => {
  it("gives scipy.stats.spearmanr's ρ (ties: average ranks) and, up to 8 pairs, the exact permutation p", () => {
    // scipy: spearmanr([1,2,3,4,5], [5,6,7,8,7]).statistic = 0.8207826816681233; of the 120 orderings
    // of y, 16 reach |ρ_s| ≥ 0.8208 (itertools.permutations + spearmanr), so p = 16/120.
    const a = spearmanCorrelation([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]);
    expect(a.rho).toBeCloseTo(0.8207826816681233, 12);
    expect(a.p).toBeCloseTo(16 / 120, 12);
    expect(a.n).toBe(5);
    // Ties on both sides: ρ_s = -0.956182887467515; 16 of 720 orderings reach it.
    const b = spearmanCorrelation([0.01, 0.01, 0.05, 0.05, 0.5, 0.5], [88, 80, 10, 12, 5, 6]);
    expect(b.rho).toBeCloseTo(-0.956182887467515, 12);
    expect(b.p).toBeCloseTo(16 / 720, 12);
    // Three perfectly ordered pairs: 2 of the 6 orderings are as extreme, p = 1/3 (not 0).
    expect(spearmanCorrelation([1, 2, 3], [3, 2, 1])).toEqual({ rho: -1, n: 3, p: 2 / 6 });
  });

  it("beyond 8 pairs uses the t approximation, as scipy.stats.spearmanr does", () => {
    // spearmanr(range(10), [0,2,1,3,5,4,6,8,7,9]) = (0.9636363636363635, 7.3209748095299185e-06)
    const c = spearmanCorrelation([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [0, 2, 1, 3, 5, 4, 6, 8, 7, 9]);
    expect(c.rho).toBeCloseTo(0.9636363636363635, 12);
    expect(c.p).toBeCloseTo(7.3209748095299185e-6, 12);
    expect(c.p / 7.3209748095299185e-6).toBeCloseTo(1, 6);
  });

  it("leaves out pairs with a non-finite value, and gives no test for fewer than 3 pairs or a constant sample", () => {
    const c = spearmanCorrelation([1, 2, Number.NaN, 3, 4], [1, 3, 2, 2, 4]);
    expect(c.n).toBe(4);
    expect(c.rho).toBeCloseTo(spearmanCorrelation([1, 2, 3, 4], [1, 3, 2, 4]).rho, 12);
    expect(Number.isNaN(spearmanCorrelation([1, 2], [2, 1]).rho)).toBe(true);
    expect(Number.isNaN(spearmanCorrelation([1, 1, 1], [1, 2, 3]).p)).toBe(true);
  });

  it("rejects samples of different lengths, naming both", () => {
    expect(() => spearmanCorrelation([1, 2, 3], [1, 2])).toThrow(/3 and 2 values/);
  });
});
