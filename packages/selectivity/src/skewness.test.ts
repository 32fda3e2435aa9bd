import { createRandomSource } from "@dale-nn/ei-init";
import { describe, expect, it } from "vitest";
import { skewness } from "./skewness.js";

/** Population skewness from raw moments (a different route from the two-pass code). */
function rawMomentSkewness(x: number[]): number {
  const n = x.length;
  const e1 = x.reduce((a, b) => a + b, 0) / n;
  const e2 = x.reduce((a, b) => a + b * b, 0) / n;
  const e3 = x.reduce((a, b) => a + b * b * b, 0) / n;
  const m2 = e2 - e1 * e1;
  const m3 = e3 - 3 * e1 * e2 + 2 * e1 ** 3;
  return m3 / m2 ** 1.5;
}

describe("skewness", () => {
  it("skewness([0, 0, 0, 1]) = 2/√3 and skewness([0, 1, 1, 1]) = −2/√3 (population form, eq. 4)", () => {
    expect(skewness([0, 0, 0, 1])).toBeCloseTo(2 / Math.sqrt(3), 14);
    expect(skewness([0, 1, 1, 1])).toBeCloseTo(-2 / Math.sqrt(3), 14);
  });

  it("skewness(values) equals m₃ / m₂^{3/2} from raw moments on known and random samples", () => {
    expect(skewness([1, 2, 3, 4, 10])).toBeCloseTo(rawMomentSkewness([1, 2, 3, 4, 10]), 12);
    const rng = createRandomSource(3);
    const x = Array.from({ length: 432 }, () => rng.exponential(1));
    expect(skewness(x)).toBeCloseTo(rawMomentSkewness(x), 10);
    expect(skewness(Float32Array.from(x))).toBeCloseTo(rawMomentSkewness(Array.from(Float32Array.from(x))), 8);
  });

  it("skewness of a symmetric sample is 0, and of a constant one 0 (no asymmetry)", () => {
    expect(skewness([-2, -1, 0, 1, 2])).toBe(0);
    expect(Math.abs(skewness([3, 5, 5, 7, 1, 9]))).toBeLessThan(1e-15);
    expect(skewness(new Float64Array(432).fill(0.1))).toBe(0);
    expect(skewness([4])).toBe(0);
  });

  it("skewness is invariant to shift and positive scale and flips sign under negation", () => {
    const x = [0.1, 0.5, 0.2, 3, 0.05];
    const g = skewness(x);
    expect(skewness(x.map((v) => 7 * v + 100))).toBeCloseTo(g, 10);
    expect(skewness(x.map((v) => -v))).toBeCloseTo(-g, 14);
  });

  it("skewness rejects an empty list and non-finite values", () => {
    expect(() => skewness([])).toThrow("skewness: values is empty");
    expect(() => skewness([1, Number.POSITIVE_INFINITY])).toThrow("skewness: values has a non-finite entry Infinity at index 1");
  });
});
