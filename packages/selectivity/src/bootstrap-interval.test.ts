import { createRandomSource } from "@dale-nn/ei-init";
import { describe, expect, it } from "vitest";
import { bootstrapInterval } from "./bootstrap-interval.js";

const five = [0.8, 1.1, 0.9, 1.3, 1.0];

describe("bootstrapInterval", () => {
  it("bootstrapInterval(values, { seed }) is a 95% interval of the mean that contains the mean, inside [min, max]", () => {
    const b = bootstrapInterval(five, { seed: 0 });
    expect(b.estimate).toBeCloseTo(1.02, 15);
    expect(b.level).toBe(0.95);
    expect(b.resamples).toBe(10_000);
    expect(b.n).toBe(5);
    expect(b.lower).toBeLessThan(b.estimate);
    expect(b.upper).toBeGreaterThan(b.estimate);
    expect(b.lower).toBeGreaterThanOrEqual(0.8);
    expect(b.upper).toBeLessThanOrEqual(1.3);
  });

  it("bootstrapInterval is reproducible for a seed and differs between seeds", () => {
    const a = bootstrapInterval(five, { seed: 7, resamples: 2000 });
    const b = bootstrapInterval(five, { seed: 7, resamples: 2000 });
    const c = bootstrapInterval(five, { seed: 8, resamples: 2000 });
    expect(b).toEqual(a);
    expect([c.lower, c.upper]).not.toEqual([a.lower, a.upper]);
    const fromSource = bootstrapInterval(five, { seed: createRandomSource(7), resamples: 2000 });
    expect(fromSource).toEqual(a);
  });

  it("bootstrapInterval equals the percentile method done by hand with the same random stream", () => {
    const rng = createRandomSource(3);
    const B = 500;
    const means = Array.from({ length: B }, () => {
      let s = 0;
      for (let i = 0; i < five.length; i++) s += five[rng.integer(five.length)]!;
      return s / five.length;
    }).sort((x, y) => x - y);
    const q = (p: number) => {
      const pos = p * (B - 1);
      const lo = Math.floor(pos);
      return means[lo]! + (pos - lo) * (means[lo + 1]! - means[lo]!);
    };
    const b = bootstrapInterval(five, { seed: 3, resamples: B });
    expect(b.lower).toBeCloseTo(q(0.025), 14);
    expect(b.upper).toBeCloseTo(q(0.975), 14);
  });

  it("bootstrapInterval narrows with more networks and widens with a higher level", () => {
    const rng = createRandomSource(11);
    const draw = (n: number) => Array.from({ length: n }, () => rng.normal());
    const width = (v: number[], level = 0.95) => {
      const b = bootstrapInterval(v, { seed: 1, resamples: 4000, level });
      return b.upper - b.lower;
    };
    const w5 = width(draw(5));
    const w50 = width(draw(50));
    const w500 = width(draw(500));
    expect(w50).toBeLessThan(w5);
    expect(w500).toBeLessThan(w50);
    expect(w500).toBeCloseTo(2 * 1.96 / Math.sqrt(500), 1);
    const v = draw(20);
    expect(width(v, 0.99)).toBeGreaterThan(width(v, 0.8));
  });

  it("bootstrapInterval of one network is the degenerate interval [x, x]; a statistic can be given", () => {
    expect(bootstrapInterval([2.5], { seed: 0, resamples: 10 })).toMatchObject({ estimate: 2.5, lower: 2.5, upper: 2.5 });
    const median = (s: Float64Array) => Float64Array.from(s).sort()[Math.floor(s.length / 2)]!;
    const b = bootstrapInterval([1, 2, 3, 100, 4], { seed: 0, resamples: 1000, statistic: median });
    expect(b.estimate).toBe(3);
    expect(b.upper).toBeLessThanOrEqual(100);
  });

  it("bootstrapInterval rejects no values, a missing seed, bad resamples and levels, and a non-finite statistic", () => {
    expect(() => bootstrapInterval([], { seed: 0 })).toThrow("bootstrapInterval: values is empty");
    expect(() => bootstrapInterval([1], {} as never)).toThrow("bootstrapInterval: a seed is required (randomness is explicit in dale-nn); got undefined");
    expect(() => bootstrapInterval([1], { seed: 0, resamples: 0 })).toThrow("bootstrapInterval: resamples must be an integer >= 1; got 0");
    expect(() => bootstrapInterval([1], { seed: 0, level: 1 })).toThrow("bootstrapInterval: level must be a number in (0, 1); got 1");
    expect(() => bootstrapInterval([1, 2], { seed: 0, statistic: () => Number.NaN })).toThrow("bootstrapInterval: statistic returned NaN on the original values");
    expect(() => bootstrapInterval([1, Number.POSITIVE_INFINITY], { seed: 0 })).toThrow("bootstrapInterval: values has a non-finite entry Infinity at index 1");
  });
});
