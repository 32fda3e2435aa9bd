import { describe, expect, it } from "vitest";
import { eiDifferences, type NetworkEiMeasures } from "./ei-differences.js";

const nets: NetworkEiMeasures[] = [
  { pnImageSkewness: [3, 5, Number.NaN], intImageSkewness: [1, 2, 0], pnToPnDensity: 0.3, intToPnDensity: 0.9 },
  { pnImageSkewness: [2, 2], intImageSkewness: Float64Array.of(1, Number.NaN), pnToPnDensity: 0.5, intToPnDensity: 0.8 },
  { pnImageSkewness: [4], intImageSkewness: [0.5, 1.5], pnToPnDensity: 0.4, intToPnDensity: 1 },
];

describe("eiDifferences", () => {
  it("eiDifferences(networks, { seed }) gives Δ image skewness (PN − Int) and Δ density (Int→PN − PN→PN) per network, skipping silent (NaN) channels", () => {
    const d = eiDifferences(nets, { seed: 0, resamples: 2000 });
    expect(Array.from(d.deltaImageSkewness.values)).toEqual([4 - 1, 2 - 1, 4 - 1]);
    const dd = Array.from(d.deltaDensity.values);
    [0.6, 0.3, 0.6].forEach((x, i) => expect(dd[i]).toBeCloseTo(x, 15));
    expect(d.deltaImageSkewness.mean).toBeCloseTo(7 / 3, 14);
    expect(d.deltaDensity.mean).toBeCloseTo(0.5, 14);
    expect(d.deltaImageSkewness.lower).toBeLessThanOrEqual(d.deltaImageSkewness.mean);
    expect(d.deltaImageSkewness.upper).toBeGreaterThanOrEqual(d.deltaImageSkewness.mean);
    expect(d.deltaDensity.n).toBe(3);
  });

  it("eiDifferences is reproducible for a seed", () => {
    expect(eiDifferences(nets, { seed: 5, resamples: 500 })).toEqual(eiDifferences(nets, { seed: 5, resamples: 500 }));
  });

  it("eiDifferences rejects no networks, a type with no responsive channel, a density outside [0, 1] and a missing seed", () => {
    expect(() => eiDifferences([], { seed: 0 })).toThrow("eiDifferences: networks must be a non-empty array");
    expect(() => eiDifferences([{ ...nets[0]!, intImageSkewness: [Number.NaN] }], { seed: 0 })).toThrow(
      "eiDifferences: networks[0].intImageSkewness has no responsive channel (1 entries, all NaN or none)",
    );
    expect(() => eiDifferences([{ ...nets[0]!, pnToPnDensity: 1.5 }], { seed: 0 })).toThrow("eiDifferences: networks[0].pnToPnDensity must be a density in [0, 1]; got 1.5");
    expect(() => eiDifferences([{ ...nets[0]!, pnImageSkewness: [1, Number.POSITIVE_INFINITY] }], { seed: 0 })).toThrow(
      "eiDifferences: networks[0].pnImageSkewness[1] is Infinity",
    );
    expect(() => eiDifferences(nets, {} as never)).toThrow("eiDifferences: a seed is required");
  });
});
