import { describe, expect, it } from "vitest";
import { seededRandom } from "./seeded-random.js";
import { uniformArray } from "./uniform-array.js";

describe("uniformArray", () => {
  it("uniformArray(rng, n) holds exactly Float64Array.from({ length: n }, () => rng.uniform())", () => {
    const a = seededRandom(5);
    const b = seededRandom(5);
    expect(uniformArray(a, 17)).toEqual(Float64Array.from({ length: 17 }, () => b.uniform()));
    expect(a.uniform()).toBe(b.uniform());
  });

  it("uniformArray(rng, n, lo, hi) is lo + (hi − lo) u, in [lo, hi)", () => {
    const a = seededRandom(6);
    const b = seededRandom(6);
    const x = uniformArray(a, 200, -0.3, 0.4);
    expect(x).toEqual(Float64Array.from({ length: 200 }, () => -0.3 + (0.4 - -0.3) * b.uniform()));
    for (const v of x) expect(v >= -0.3 && v < 0.4).toBe(true);
  });

  it("uniformArray(rng, n) throws a RangeError naming a bad n; n = 0 gives an empty array", () => {
    expect(() => uniformArray(seededRandom(1), -1)).toThrow("uniformArray: n must be an integer >= 0; got -1");
    expect(uniformArray(seededRandom(1), 0)).toEqual(new Float64Array(0));
  });
});
