import { describe, expect, it } from "vitest";
import { rankSumTest, twoSidedRankSumP } from "./rank-sum-test.js";

describe("rankSumTest", () => {
  it("gives scipy's exact one-sided p without ties (mannwhitneyu, method='exact')", () => {
    const r = rankSumTest([0.012, 0.03, 0.004, 0.005, 0.018], [0.0022, 0.003, 0.0015, 0.0031, 0.0019]);
    expect(r.u).toBe(25);
    expect(r.effect).toBe(1);
    expect(r.p).toBeCloseTo(1 / 252, 12); // scipy: 0.003968253968253968
  });

  it("counts a diverged run (Infinity) as the worst value and ties as halves, exactly (scipy's permutation_test: 0.05195)", () => {
    const r = rankSumTest([1, 2, 2, 3, 5, Number.POSITIVE_INFINITY], [2, 2, 1, 0, 1]);
    expect(r.u).toBe(25);
    expect(r.p).toBeCloseTo(24 / 462, 10);
  });

  it("uses the tie-corrected normal approximation beyond 20 values (scipy asymptotic: 0.0105835)", () => {
    const x = [1.1257, 0.8679, 1.6404, 1.1049, 0.4643, 1.3616, 2.304, 1.9471, 0.2963, -0.2654, 0.3767, 1.0413, -1.325, 0.7812];
    const y = [-1.2459, -0.7323, -0.5443, -0.3163, 0.4116, 1.0425, -0.1285, 1.3665, -0.6652, 0.3515, 0.9035, 0.094, -0.7435];
    const r = rankSumTest(x, y);
    expect(r.u).toBe(139);
    expect(r.p).toBeCloseTo(0.010583495783868024, 9);
  });

  it("is one-sided: the reversed question gets the complementary evidence", () => {
    const a = [5, 6, 7];
    const b = [1, 2, 3];
    expect(rankSumTest(a, b).p).toBeCloseTo(1 / 20, 12);
    expect(rankSumTest(b, a).p).toBe(1);
  });

  it("leaves NaN out and gives NaN for an empty sample", () => {
    expect(rankSumTest([3, Number.NaN, 4, 5], [1, 2]).n1).toBe(3);
    expect(rankSumTest([Number.NaN], [1, 2]).p).toBeNaN();
    expect(rankSumTest([1], []).p).toBeNaN();
  });

  it("gives p = 1 for identical samples (every split reaches U = n₁n₂/2)", () => {
    expect(rankSumTest([1, 1, 1], [1, 1, 1]).p).toBe(1);
  });

  it("twoSidedRankSumP doubles the smaller one-sided p (scipy, alternative='two-sided', exact: 0.007937)", () => {
    const a = [0.012, 0.03, 0.004, 0.005, 0.018];
    const b = [0.0022, 0.003, 0.0015, 0.0031, 0.0019];
    expect(twoSidedRankSumP(a, b)).toBeCloseTo(2 / 252, 12);
    expect(twoSidedRankSumP(b, a)).toBeCloseTo(2 / 252, 12);
    expect(twoSidedRankSumP([1, 2, 3], [1, 2, 3])).toBe(1);
  });
});
