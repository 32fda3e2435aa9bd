import { describe, expect, it } from "vitest";
import { weightHistogram } from "./weight-histogram.js";

describe("weightHistogram", () => {
  it("weightHistogram(weights, { bins, range }) bins log₁₀|w| with [lo, hi) bins, hi in the last, zeros counted apart", () => {
    const h = weightHistogram({ data: [1e-8, 1e-5, -1e-3, 0.5, 1, 0, 1e-30] }, { bins: 4, range: [-8, 0] });
    expect(Array.from(h.edges)).toEqual([-8, -6, -4, -2, 0]);
    expect(Array.from(h.counts)).toEqual([1, 1, 1, 2]);
    expect(h.zeros).toBe(1);
    expect(h.outside).toBe(1);
    expect(h.total).toBe(7);
  });

  it("weightHistogram(weights, { log10: false }) bins the values themselves over [min, max]", () => {
    const h = weightHistogram([0, 0.5, 1, 2], { bins: 2, log10: false });
    expect(Array.from(h.edges)).toEqual([0, 1, 2]);
    expect(Array.from(h.counts)).toEqual([2, 2]);
    expect(h.zeros).toBe(0);
  });

  it("weightHistogram pools several weight sets and puts values on an inner edge in the upper bin", () => {
    const h = weightHistogram([{ data: [0.1, 0.2] }, { data: Float64Array.of(0.3, 0.7) }], { bins: 10, range: [0, 1], log10: false });
    expect(Array.from(h.counts)).toEqual([0, 1, 1, 1, 0, 0, 0, 1, 0, 0]);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(4);
  });

  it("weightHistogram rejects bad bins, a bad range and nothing to bin", () => {
    expect(() => weightHistogram([1], { bins: 0 })).toThrow("weightHistogram: bins must be an integer >= 1; got 0");
    expect(() => weightHistogram([1], { range: [0, 0] })).toThrow("weightHistogram: range must be [lo, hi] with finite lo < hi; got [0,0]");
    expect(() => weightHistogram([0, 0])).toThrow("weightHistogram: no non-zero weights to bin; give a range to get empty bins");
  });
});
