import { describe, expect, it } from "vitest";
import { centralDifferences } from "./central-differences.js";

describe("centralDifferences", () => {
  it("centralDifferences(f, θ) is (f(θ + h e_i) − f(θ − h e_i)) / 2h: exact to rounding for a quadratic, θ restored bit for bit", () => {
    const theta = Float64Array.from([0.3, -1.7, 2.5]);
    const copy = Float64Array.from(theta);
    const f = (t: Float64Array) => t[0]! ** 2 + 3 * t[0]! * t[1]! - 0.5 * t[2]! ** 2;
    const g = centralDifferences(f, theta);
    const exact = [2 * 0.3 + 3 * -1.7, 3 * 0.3, -2.5];
    g.forEach((v, i) => expect(Math.abs(v - exact[i]!)).toBeLessThan(1e-8));
    expect(theta).toEqual(copy);
  });

  it("centralDifferences(f, θ, h) uses the step h (a cubic's error is h²)", () => {
    const g = centralDifferences((t) => t[0]! ** 3, Float64Array.from([1]), 0.1);
    expect(g[0]).toBeCloseTo(3 + 0.01, 12);
  });
});
