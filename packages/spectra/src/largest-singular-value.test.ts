import { describe, expect, it } from "vitest";
import { largestSingularValue } from "./largest-singular-value.js";
import { singularValues } from "./singular-values.js";
import { gaussianMatrix } from "./test-support/random.js";

describe("largestSingularValue", () => {
  it("largestSingularValue([[1, 1], [0, 1]]) is the golden ratio", () => {
    expect(largestSingularValue([[1, 1], [0, 1]])).toBeCloseTo((1 + Math.sqrt(5)) / 2, 14);
  });

  it("largestSingularValue(W) is singularValues(W)[0] and ‖Wx‖ ≤ σ_max ‖x‖", () => {
    const w = gaussianMatrix(50, 40, 3);
    const sigma = largestSingularValue(w);
    expect(sigma).toBe(singularValues(w)[0]);
    const x = Float64Array.from({ length: 40 }, (_, k) => Math.cos(k));
    let wx = 0;
    for (let i = 0; i < 50; i++) {
      let s = 0;
      for (let j = 0; j < 40; j++) s += w.data[i * 40 + j]! * x[j]!;
      wx += s * s;
    }
    expect(Math.sqrt(wx)).toBeLessThanOrEqual(sigma * Math.hypot(...x));
  });

  it("largestSingularValue(m) rejects an empty matrix", () => {
    expect(() => largestSingularValue({ data: [], rows: 0, cols: 0 })).toThrow(
      "largestSingularValue: matrix must be non-empty; got 0 x 0",
    );
  });
});
