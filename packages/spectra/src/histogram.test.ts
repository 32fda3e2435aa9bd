import { describe, expect, it } from "vitest";
import { histogram } from "./histogram.js";

describe("histogram", () => {
  it("histogram(values, { bins, range }) counts [lo, hi) bins with hi in the last bin", () => {
    const h = histogram([0, 0.5, 1, 2, 2.5, -1], { bins: 2, range: [0, 2] });
    expect(Array.from(h.edges)).toEqual([0, 1, 2]);
    expect(Array.from(h.counts)).toEqual([2, 2]);
  });

  it("histogram(values, { bins }) spans [min, max] and counts every value", () => {
    const values = Float64Array.from({ length: 1000 }, (_, k) => Math.sin(k) * 3);
    const h = histogram(values, { bins: 17 });
    expect(h.edges.length).toBe(18);
    expect(h.edges[0]).toBe(Math.min(...values));
    expect(h.edges[17]).toBe(Math.max(...values));
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(1000);
    for (let k = 0; k < 17; k++) {
      const inBin = values.filter((x) => x >= h.edges[k]! && (k === 16 ? x <= h.edges[k + 1]! : x < h.edges[k + 1]!));
      expect(h.counts[k]).toBe(inBin.length);
    }
  });

  it("histogram puts values equal to an inner edge in the upper bin, as numpy does", () => {
    const h = histogram([0.1, 0.2, 0.3, 0.7], { bins: 10, range: [0, 1] });
    expect(Array.from(h.counts)).toEqual([0, 1, 1, 1, 0, 0, 0, 1, 0, 0]);
  });

  it("histogram(all equal values) uses [v − 0.5, v + 0.5] like numpy", () => {
    const h = histogram([2, 2, 2], { bins: 2 });
    expect(Array.from(h.edges)).toEqual([1.5, 2, 2.5]);
    expect(Array.from(h.counts)).toEqual([0, 3]);
  });

  it("histogram rejects bad bins, a bad range, NaN values and empty values without a range", () => {
    expect(() => histogram([1], { bins: 0 })).toThrow("histogram: bins must be an integer >= 1; got 0");
    expect(() => histogram([1], { bins: 2.5 })).toThrow("histogram: bins must be an integer >= 1; got 2.5");
    expect(() => histogram([1], { bins: 2, range: [1, 1] })).toThrow("histogram: range must be [lo, hi] with finite lo < hi; got [1,1]");
    expect(() => histogram([1, Number.NaN], { bins: 2 })).toThrow("histogram: values has a non-finite entry NaN at index 1");
    expect(() => histogram([], { bins: 2 })).toThrow("histogram: values is empty; give a range to get empty bins");
    expect(Array.from(histogram([], { bins: 2, range: [0, 1] }).counts)).toEqual([0, 0]);
  });
});
