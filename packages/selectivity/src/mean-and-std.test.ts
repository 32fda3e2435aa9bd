import { describe, expect, it } from "vitest";
import { meanAndStd } from "./mean-and-std.js";

describe("meanAndStd", () => {
  it("meanAndStd(values) is the mean and the sample standard deviation (n − 1)", () => {
    expect(meanAndStd([1, 2, 3])).toEqual({ mean: 2, std: 1, n: 3 });
    const r = meanAndStd(Float64Array.of(0.2, 0.4, 0.9, 1.3, 0.1));
    expect(r.mean).toBeCloseTo(0.58, 15);
    expect(r.std).toBeCloseTo(Math.sqrt((0.38 ** 2 + 0.18 ** 2 + 0.32 ** 2 + 0.72 ** 2 + 0.48 ** 2) / 4), 15);
  });

  it("meanAndStd(values, { ddof: 0 }) is the population form; one value gives std NaN with ddof 1", () => {
    expect(meanAndStd([1, 3], { ddof: 0 }).std).toBe(1);
    expect(meanAndStd([5]).std).toBeNaN();
    expect(meanAndStd([5], { ddof: 0 })).toEqual({ mean: 5, std: 0, n: 1 });
  });

  it("meanAndStd rejects no values, non-finite values and a bad ddof", () => {
    expect(() => meanAndStd([])).toThrow("meanAndStd: values is empty");
    expect(() => meanAndStd([1, Number.NaN])).toThrow("meanAndStd: values has a non-finite entry NaN at index 1");
    expect(() => meanAndStd([1], { ddof: 2 as never })).toThrow("meanAndStd: ddof must be 0 or 1; got 2");
  });
});
