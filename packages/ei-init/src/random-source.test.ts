import { describe, expect, it } from "vitest";
import { createRandomSource, deriveSeed } from "./random-source.js";

describe("createRandomSource", () => {
  it("createRandomSource(seed) gives the same stream for the same seed and a different one for another seed", () => {
    const a = createRandomSource(7);
    const b = createRandomSource(7);
    const c = createRandomSource(8);
    const sa = Array.from({ length: 5 }, () => a.uniform());
    const sb = Array.from({ length: 5 }, () => b.uniform());
    const sc = Array.from({ length: 5 }, () => c.uniform());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it("uniform() has mean 1/2 and variance 1/12; normal() mean 0 and variance 1", () => {
    const rng = createRandomSource(1);
    const n = 200_000;
    let su = 0, su2 = 0, sn = 0, sn2 = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      su += u; su2 += u * u;
      const z = rng.normal();
      sn += z; sn2 += z * z;
    }
    expect(su / n).toBeCloseTo(0.5, 2);
    expect(su2 / n - (su / n) ** 2).toBeCloseTo(1 / 12, 3);
    expect(Math.abs(sn / n)).toBeLessThan(0.01);
    expect(sn2 / n).toBeCloseTo(1, 1);
  });

  it("exponential(scale) has mean = std = scale", () => {
    const rng = createRandomSource(2);
    const n = 200_000;
    const scale = 0.3;
    let s = 0, s2 = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.exponential(scale);
      expect(x).toBeGreaterThanOrEqual(0);
      s += x; s2 += x * x;
    }
    const mean = s / n;
    const std = Math.sqrt(s2 / n - mean * mean);
    expect(mean / scale).toBeCloseTo(1, 1);
    expect(std / scale).toBeCloseTo(1, 1);
  });

  it("categorical(p) draws index i with probability p[i]", () => {
    const rng = createRandomSource(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[rng.categorical([0.2, 0, 0.8])]!++;
    expect(counts[1]).toBe(0);
    expect(counts[0]! / 30_000).toBeCloseTo(0.2, 1);
  });

  it("rejects a bad seed or bad probabilities with a message naming the value", () => {
    expect(() => createRandomSource(-1)).toThrow(/seed must be an integer >= 0; got -1/);
    expect(() => createRandomSource(1.5)).toThrow(/got 1.5/);
    expect(() => createRandomSource(0).categorical([0.5, Number.NaN])).toThrow(/p\[1\] was NaN/);
  });

  it("deriveSeed(seed, ...labels) is deterministic and label-sensitive", () => {
    expect(deriveSeed(1, "layer", 0)).toBe(deriveSeed(1, "layer", 0));
    expect(deriveSeed(1, "layer", 0)).not.toBe(deriveSeed(1, "layer", 1));
    expect(deriveSeed(1, "layer", 0)).not.toBe(deriveSeed(2, "layer", 0));
  });
});
