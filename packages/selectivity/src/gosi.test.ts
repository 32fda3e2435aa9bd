import { describe, expect, it } from "vitest";
import { gosi } from "./gosi.js";

const thetas = Array.from({ length: 18 }, (_, k) => (k * Math.PI) / 18);

describe("gosi", () => {
  it("gosi(curve, θ) is 1 for a unit that responds at one orientation only", () => {
    for (const k of [0, 4, 17]) {
      const curve = thetas.map((_, i) => (i === k ? 2.5 : 0));
      expect(gosi(curve, thetas)).toBeCloseTo(1, 14);
    }
  });

  it("gosi(flat curve, θ) is 0", () => {
    expect(gosi(new Float64Array(18).fill(0.7), thetas)).toBeLessThan(1e-15);
  });

  it("gosi(1 + c cos 2(θ − θ₀), 18 orientations over 180°) = c / 2 for any θ₀ (|Σ e^{i2θ}| = 0, Σ cos 2(θ − θ₀) e^{i2θ} = 9 e^{i2θ₀})", () => {
    for (const c of [0, 0.1, 0.5, 1]) {
      for (const theta0 of [0, 0.3, Math.PI / 2, 2.9]) {
        const curve = thetas.map((t) => 1 + c * Math.cos(2 * (t - theta0)));
        expect(gosi(curve, thetas)).toBeCloseTo(c / 2, 13);
      }
    }
  });

  it("gosi is invariant to scaling the curve and to the order of the orientations", () => {
    const curve = thetas.map((t) => Math.exp(Math.cos(2 * (t - 1))));
    const g = gosi(curve, thetas);
    expect(gosi(curve.map((x) => 3 * x), thetas)).toBeCloseTo(g, 14);
    const order = [5, 2, 17, 0, 9, 1, 3, 4, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16];
    expect(gosi(order.map((i) => curve[i]!), order.map((i) => thetas[i]!))).toBeCloseTo(g, 14);
  });

  it("gosi rejects negative responses, mismatched lengths, an empty or all-zero curve", () => {
    expect(() => gosi([1, -0.5], [0, 1])).toThrow("gosi: curve[1] is -0.5; expected responses >= 0");
    expect(() => gosi([1, 2], [0])).toThrow("gosi: curve has 2 responses but orientations has 1");
    expect(() => gosi([], [])).toThrow("gosi: curve is empty");
    expect(() => gosi([0, 0], [0, 1])).toThrow("gosi: the responses sum to 0");
    expect(() => gosi([1, Number.NaN], [0, 1])).toThrow("gosi: curve has a non-finite entry NaN at index 1");
  });
});
