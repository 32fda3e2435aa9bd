import { describe, expect, it } from "vitest";
import { pairedDifference } from "./paired-difference.js";

describe("pairedDifference", () => {
  it("takes the differences seed by seed over the seeds both sides have, and tests them against zero", () => {
    const a = new Map<number, number | null>([[0, 3], [1, 5], [2, 4], [3, null], [4, 9]]);
    const b = new Map<number, number | null>([[0, 1], [1, 2], [2, 2], [3, 1]]);
    const d = pairedDifference(a, b);
    // d = 2, 3, 2: mean 7/3, std √(1/3), t = (7/3) / (√(1/3)/√3) = 7, df 2.
    expect(d.n).toBe(3);
    expect(d.mean).toBeCloseTo(7 / 3, 12);
    expect(d.std).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(d.t).toBeCloseTo(7, 10);
    // Two-sided p of t = 7 on 2 df: 1 − 7/√(49 + 2) (the closed form of Student's t with 2 df).
    expect(d.p).toBeCloseTo(1 - 7 / Math.sqrt(51), 10);
  });

  it("gives no test where there is nothing to test: one pair, or identical differences", () => {
    expect(Number.isNaN(pairedDifference(new Map([[0, 2]]), new Map([[0, 1]])).p)).toBe(true);
    const same = pairedDifference(new Map([[0, 2], [1, 3]]), new Map([[0, 1], [1, 2]]));
    expect(same.mean).toBe(1);
    expect(Number.isNaN(same.p)).toBe(true);
    expect(pairedDifference(new Map(), new Map()).n).toBe(0);
  });
});
