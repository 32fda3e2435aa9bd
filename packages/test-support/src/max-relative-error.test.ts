import { describe, expect, it } from "vitest";
import { maxRelativeError } from "./max-relative-error.js";

describe("maxRelativeError", () => {
  it("maxRelativeError(a, b) is max |a − b| / max |b|", () => {
    expect(maxRelativeError([1, 10.5], [1, 10])).toBeCloseTo(0.05, 15);
    expect(maxRelativeError([2, -10], [1, -10])).toBeCloseTo(0.1, 15);
    expect(maxRelativeError([0], [0])).toBe(0);
  });

  it("maxRelativeError(a, b) is NaN when a compared entry is NaN", () => {
    expect(maxRelativeError([1, Number.NaN], [1, 1])).toBeNaN();
  });
});
