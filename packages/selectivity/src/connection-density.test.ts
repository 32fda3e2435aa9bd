import { describe, expect, it } from "vitest";
import { connectionDensity } from "./connection-density.js";
import { rebuildSeparableKernel } from "./separable-kernel.js";
import { spatialMeanKernel } from "./spatial-mean-kernel.js";
import { PAPER_THRESHOLD } from "./thresholds.js";

/** D[h, w, i] = (h + w + 1)/10 · (i + 1) (spatial mean 0.3 (i + 1)); P[i, o] = 0 where (i + o) % 3 = 0. */
function constructed(cin = 4, cout = 3) {
  const d = new Float64Array(9 * cin);
  for (let h = 0; h < 3; h++) for (let w = 0; w < 3; w++) for (let i = 0; i < cin; i++) d[(h * 3 + w) * cin + i] = ((h + w + 1) / 10) * (i + 1);
  const p = Float64Array.from({ length: cin * cout }, (_, k) => ((Math.floor(k / cout) + (k % cout)) % 3 === 0 ? 0 : -0.5));
  return { d: { data: d, shape: [3, 3, cin, 1] }, p: { data: p, shape: [1, 1, cin, cout] } };
}

describe("connectionDensity", () => {
  it("connectionDensity(spatialMeanKernel(rebuildSeparableKernel(D, P))) is the fraction of connections above exp(−10)", () => {
    const { d, p } = constructed();
    const w = spatialMeanKernel(rebuildSeparableKernel(d, p));
    for (let i = 0; i < 4; i++) for (let o = 0; o < 3; o++) {
      expect(w.data[i * 3 + o]).toBeCloseTo((i + o) % 3 === 0 ? 0 : 0.3 * (i + 1) * 0.5, 14);
    }
    // zeros at (0,0), (1,2), (2,1), (3,0): 8 of 12 connections
    expect(connectionDensity(w)).toBeCloseTo(8 / 12, 15);
  });

  it("connectionDensity thresholds the spatial average, not single taps, with |w| > τ strictly", () => {
    const tau = PAPER_THRESHOLD;
    // one input, three outputs; only the centre tap of D is non-zero
    const centreOnly = (v: number) => Float64Array.from({ length: 9 }, (_, s) => (s === 4 ? v : 0));
    const p = { data: Float64Array.of(1, 1, 1), shape: [1, 1, 1, 3] };
    const strongTap = spatialMeanKernel(rebuildSeparableKernel({ data: centreOnly(9 * 0.9 * tau), shape: [3, 3, 1, 1] }, p));
    expect(connectionDensity(strongTap)).toBe(0); // the tap is 8.1 τ, its average 0.9 τ
    const justAbove = spatialMeanKernel(rebuildSeparableKernel({ data: centreOnly(9 * 1.01 * tau), shape: [3, 3, 1, 1] }, p));
    expect(connectionDensity(justAbove)).toBe(1);
    expect(connectionDensity([tau, -2 * tau, 0, 3])).toBe(0.5);
  });

  it("connectionDensity([igToPn, ogToPn]) pools the blocks entry by entry (Int→PN)", () => {
    expect(connectionDensity([{ data: [1, 0, 0, 0] }, { data: Float32Array.of(1, 1) }])).toBeCloseTo(3 / 6, 15);
  });

  it("connectionDensity(weights, { threshold }) uses the given threshold", () => {
    expect(connectionDensity([0.1, 0.2, 0.3, 0.4], { threshold: 0.25 })).toBe(0.5);
  });

  it("connectionDensity rejects no weights, non-finite weights and a bad threshold", () => {
    expect(() => connectionDensity([])).toThrow("connectionDensity: no weights given");
    expect(() => connectionDensity([{ data: [1, Number.NaN] }])).toThrow("connectionDensity: weights[0].data has a non-finite entry NaN at index 1");
    expect(() => connectionDensity([1], { threshold: -1 })).toThrow("connectionDensity: threshold must be a finite number >= 0; got -1");
    expect(() => connectionDensity(5 as never)).toThrow("connectionDensity: weights must be an array, a typed array or { data }; got 5");
  });
});
