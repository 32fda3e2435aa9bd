import { describe, expect, it } from "vitest";
import { normalArray } from "./normal-array.js";
import { seededRandom } from "./seeded-random.js";

describe("normalArray", () => {
  it("normalArray(rng, n, std) holds exactly Float64Array.from({ length: n }, () => rng.normal() * std)", () => {
    const a = seededRandom(9);
    const b = seededRandom(9);
    expect(normalArray(a, 11)).toEqual(Float64Array.from({ length: 11 }, () => b.normal()));
    expect(normalArray(a, 11, 0.5)).toEqual(Float64Array.from({ length: 11 }, () => b.normal() * 0.5));
  });

  it("normalArray(rng, n) throws a RangeError naming a bad n", () => {
    expect(() => normalArray(seededRandom(1), 2.5)).toThrow("normalArray: n must be an integer >= 0; got 2.5");
  });
});
