import { describe, expect, it } from "vitest";
import { relativeError } from "./relative-error.js";

describe("relativeError", () => {
  it("relativeError(a, b) is ‖a − b‖ / ‖b‖", () => {
    expect(relativeError([3, 4], [3, 4])).toBe(0);
    expect(relativeError([3, 5], [3, 4])).toBeCloseTo(1 / 5, 15);
    expect(relativeError(Float32Array.from([1, 1]), [0, 2])).toBeCloseTo(Math.SQRT2 / 2, 7);
  });

  it("relativeError(a, zeros) divides by 1e-30, not 0", () => {
    expect(relativeError([1e-31, 0], [0, 0])).toBeCloseTo(0.1, 15);
    expect(relativeError([0], [0])).toBe(0);
  });

  it("relativeError(a, b) is NaN when a compared entry is NaN", () => {
    expect(relativeError([Number.NaN], [1])).toBeNaN();
  });
});
