import { describe, expect, it } from "vitest";
import { responseSkewness } from "./response-skewness.js";
import { skewness } from "./skewness.js";

describe("responseSkewness", () => {
  it("responseSkewness(responses) is eq. 4 per channel over the stimuli, with the mean over responsive channels", () => {
    const rows = [
      [0, 1, 2, 0],
      [0, 1, 4, 0],
      [0, 1, 0, 1e-5],
      [3, 1, 1, 0],
    ];
    const s = responseSkewness(rows);
    expect(s.channels).toBe(4);
    expect(s.skewness[0]).toBeCloseTo(skewness([0, 0, 0, 3]), 14);
    expect(s.skewness[1]).toBe(0);
    expect(s.skewness[2]).toBeCloseTo(skewness([2, 4, 0, 1]), 14);
    expect(s.skewness[3]).toBeNaN();
    expect(Array.from(s.responsive)).toEqual([0, 1, 2]);
    expect(Array.from(s.silent)).toEqual([3]);
    expect(s.mean).toBeCloseTo((s.skewness[0]! + 0 + s.skewness[2]!) / 3, 14);
  });

  it("responseSkewness of all-silent responses has mean NaN and lists every channel", () => {
    const s = responseSkewness({ data: new Float32Array(6), rows: 3, cols: 2 });
    expect(s.mean).toBeNaN();
    expect(Array.from(s.silent)).toEqual([0, 1]);
  });

  it("responseSkewness names a non-finite response by stimulus and channel", () => {
    expect(() => responseSkewness([[0, 1], [Number.NaN, 2]])).toThrow("responseSkewness: response of channel 0 to stimulus 1 is NaN; expected a finite number");
  });
});
