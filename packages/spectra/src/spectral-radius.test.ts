import { describe, expect, it } from "vitest";
import { spectralRadius } from "./spectral-radius.js";
import { largestSingularValue } from "./largest-singular-value.js";
import { colEiLikeMatrix, gaussianMatrix } from "./test-support/random.js";

describe("spectralRadius", () => {
  it("spectralRadius([[1, 2], [3, 4]]) is (5 + √33) / 2", () => {
    expect(spectralRadius([[1, 2], [3, 4]])).toBeCloseTo((5 + Math.sqrt(33)) / 2, 13);
  });

  it("spectralRadius(rotation scaled by r) is r, and of a nilpotent matrix 0", () => {
    const r = 0.8;
    const t = 1.1;
    expect(spectralRadius([[r * Math.cos(t), -r * Math.sin(t)], [r * Math.sin(t), r * Math.cos(t)]])).toBeCloseTo(r, 14);
    expect(spectralRadius([[0, 5, 1], [0, 0, 2], [0, 0, 0]])).toBe(0);
  });

  it("spectralRadius(W) ≤ largestSingularValue(W), far below it for a ColEI-like matrix (Li et al. 2023, Sec. 3.2)", () => {
    const g = gaussianMatrix(100, 100, 1);
    expect(spectralRadius(g)).toBeLessThanOrEqual(largestSingularValue(g));
    // Circular law: ρ ≈ 1 and σ_max ≈ 2 for N(0, 1/n) entries.
    expect(spectralRadius(g)).toBeGreaterThan(0.8);
    expect(spectralRadius(g)).toBeLessThan(1.2);
    const c = colEiLikeMatrix(100, 10, 2);
    expect(largestSingularValue(c) / spectralRadius(c)).toBeGreaterThan(3);
  });

  it("spectralRadius(m) rejects a non-square matrix", () => {
    expect(() => spectralRadius([[1, 2, 3], [4, 5, 6]])).toThrow("spectralRadius: matrix must be square; got 2 x 3");
  });
});
