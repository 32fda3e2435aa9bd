import { describe, expect, it } from "vitest";
import { formatMeanStd, meanStd } from "./mean-std.js";

describe("meanStd", () => {
  it("meanStd(values, scale) is the mean and sample std of the finite values, scaled", () => {
    const s = meanStd([0.01, 0.03, null, Number.NaN], 100);
    expect(s.n).toBe(2);
    expect(s.mean).toBeCloseTo(2, 12);
    expect(s.std).toBeCloseTo(Math.SQRT2, 12);
  });

  it("meanStd of one value has NaN std; of none, NaN mean", () => {
    expect(meanStd([3])).toEqual({ mean: 3, std: Number.NaN, n: 1 });
    expect(meanStd([]).n).toBe(0);
  });

  it("formatMeanStd writes 'm ± s', 'm' for one value, the empty text for none", () => {
    expect(formatMeanStd(meanStd([1, 2]), 3)).toBe("1.500 ± 0.707");
    expect(formatMeanStd(meanStd([1]), 4)).toBe("1.0000");
    expect(formatMeanStd(meanStd([]), 2)).toBe("—");
    expect(formatMeanStd(meanStd([0.1, 0.3], 100), 2, { suffix: "%" })).toBe("20.00% ± 14.14");
  });
});
