import { describe, expect, it } from "vitest";
import { sameShape } from "./same-shape.js";
import { formatShape } from "./format-shape.js";

describe("sameShape and formatShape", () => {
  it("sameShape is true only for the same rank and sizes", () => {
    expect(sameShape([2, 3], [2, 3])).toBe(true);
    expect(sameShape([2, 3], [3, 2])).toBe(false);
    expect(sameShape([2, 3], [2, 3, 1])).toBe(false);
    expect(sameShape([], [])).toBe(true);
  });

  it("formatShape([32, 784]) is \"[32, 784]\" and formatShape([]) is \"[]\"", () => {
    expect(formatShape([32, 784])).toBe("[32, 784]");
    expect(formatShape([])).toBe("[]");
  });
});
