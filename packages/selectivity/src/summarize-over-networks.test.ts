import { describe, expect, it } from "vitest";
import { bootstrapInterval } from "./bootstrap-interval.js";
import { meanAndStd } from "./mean-and-std.js";
import { summarizeOverNetworks } from "./summarize-over-networks.js";

describe("summarizeOverNetworks", () => {
  it("summarizeOverNetworks(values, { seed }) gives the values, mean ± std and the bootstrap interval of the mean", () => {
    const v = [0.31, 0.42, 0.28, 0.5, 0.39];
    const s = summarizeOverNetworks(v, { seed: 4, resamples: 3000 });
    const b = bootstrapInterval(v, { seed: 4, resamples: 3000 });
    const m = meanAndStd(v);
    expect(Array.from(s.values)).toEqual(v);
    expect(s).toMatchObject({ n: 5, mean: m.mean, std: m.std, lower: b.lower, upper: b.upper, level: 0.95, resamples: 3000 });
    expect(s.lower).toBeLessThanOrEqual(s.mean);
    expect(s.upper).toBeGreaterThanOrEqual(s.mean);
  });
});
