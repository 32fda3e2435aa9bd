import { describe, expect, it } from "vitest";
import { erfc, normalCdf, normalPdf } from "./normal-cdf.js";

// References: CPython 3 `0.5 * math.erfc(-z / math.sqrt(2))`.
const REFERENCE: Array<[number, number]> = [
  [0, 0.5],
  [0.5, 0.6914624612740131],
  [1, 0.8413447460685429],
  [-1.96, 0.024997895148220435],
  [2.5, 0.9937903346742238],
  [3, 0.9986501019683699],
  [-3.7, 0.00010779973347738823],
  [-5, 2.866515718791946e-7],
  [-8, 6.220960574271819e-16],
  [-10, 7.619853024160593e-24],
  [-20, 2.7536241186063314e-89],
  [-37, 5.725571222525139e-300],
];

describe("normalCdf / erfc / normalPdf (float64)", () => {
  it("normalCdf(z) matches CPython's erfc to 1e-13 relative, far tails included", () => {
    for (const [z, p] of REFERENCE) expect(Math.abs(normalCdf(z) - p) / p).toBeLessThan(1e-13);
  });

  it("normalCdf(z) + normalCdf(-z) = 1 and erfc(±Infinity), erfc(NaN) are 0, 2, NaN", () => {
    for (const z of [0.1, 0.9, 1.7, 2.4, 4]) expect(normalCdf(z) + normalCdf(-z)).toBeCloseTo(1, 15);
    expect(erfc(Infinity)).toBe(0);
    expect(erfc(-Infinity)).toBe(2);
    expect(erfc(Number.NaN)).toBeNaN();
  });

  it("normalPdf(z) is the derivative of normalCdf(z) (central differences)", () => {
    for (const z of [-3, -1, 0, 0.7, 2]) expect((normalCdf(z + 1e-5) - normalCdf(z - 1e-5)) / 2e-5).toBeCloseTo(normalPdf(z), 9);
  });
});
