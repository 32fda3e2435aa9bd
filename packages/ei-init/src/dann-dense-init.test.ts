import { describe, expect, it } from "vitest";
import { dannAlphaInit, dannDenseInit, dannExcitatoryScale } from "./dann-dense-init.js";

function meanStd(values: Float32Array): { mean: number; std: number } {
  let s = 0, s2 = 0;
  for (const v of values) { s += v; s2 += v * v; }
  const mean = s / values.length;
  return { mean, std: Math.sqrt(s2 / values.length - mean * mean) };
}

describe("dannDenseInit", () => {
  it("dannDenseInit({d:784, ne:500, ni:50}) draws W_EE and W_IE from Exp with mean = std = sqrt(2π/(d(2π−1))) (Alg. 1, eq. 24)", () => {
    const p = dannDenseInit({ d: 784, ne: 500, ni: 50, seed: 0 });
    const scale = Math.sqrt((2 * Math.PI) / (784 * (2 * Math.PI - 1)));
    expect(dannExcitatoryScale(784)).toBeCloseTo(scale, 12);
    expect(p.wEE.shape).toEqual([500, 784]);
    expect(p.wIE.shape).toEqual([50, 784]);
    expect(p.wEI.shape).toEqual([500, 50]);
    const ee = meanStd(p.wEE.values);
    const ie = meanStd(p.wIE.values);
    expect(ee.mean / scale).toBeCloseTo(1, 2);
    expect(ee.std / scale).toBeCloseTo(1, 1);
    expect(ie.mean / scale).toBeCloseTo(1, 1);
    expect(p.wEE.values.every((v) => v >= 0)).toBe(true);
    expect(Array.from(p.wEI.values).every((v) => Math.abs(v - 1 / 50) < 1e-7)).toBe(true);
    expect(p.alpha.values[0]).toBeCloseTo(Math.log(Math.sqrt(2 * Math.PI - 1) / Math.sqrt(784)), 6);
    expect(dannAlphaInit(784)).toBeCloseTo(Math.log(Math.sqrt((2 * Math.PI - 1) / 784)), 12);
    expect(Array.from(p.g.values).every((v) => v === 1)).toBe(true);
    expect(Array.from(p.beta.values).every((v) => v === 0)).toBe(true);
  });

  it("dannDenseInit({ni:1}) sets W_IE to the mean row of W_EE and W_EI to 1 (Alg. 1)", () => {
    const p = dannDenseInit({ d: 20, ne: 10, ni: 1, seed: 3 });
    expect(p.wIE.shape).toEqual([1, 20]);
    for (let k = 0; k < 20; k++) {
      let m = 0;
      for (let j = 0; j < 10; j++) m += p.wEE.values[j * 20 + k]!;
      expect(p.wIE.values[k]).toBeCloseTo(m / 10, 6);
    }
    expect(Array.from(p.wEI.values)).toEqual(new Array(10).fill(1));
  });

  it("dannDenseInit({variant:'reference-first-layer'}) uses scale sqrt(1/(2d))", () => {
    const p = dannDenseInit({ d: 784, ne: 500, ni: 50, seed: 1, variant: "reference-first-layer" });
    expect(meanStd(p.wEE.values).mean / Math.sqrt(1 / (2 * 784))).toBeCloseTo(1, 2);
  });

  it("dannDenseInit is reproducible from its seed", () => {
    const a = dannDenseInit({ d: 30, ne: 8, ni: 2, seed: 11 });
    const b = dannDenseInit({ d: 30, ne: 8, ni: 2, seed: 11 });
    expect(a.wEE.values).toEqual(b.wEE.values);
    expect(a.wIE.values).toEqual(b.wIE.values);
  });

  it("dannDenseInit rejects n_i < 1, bad sizes, unknown variants and a missing seed, naming the value", () => {
    expect(() => dannDenseInit({ d: 10, ne: 5, ni: 0, seed: 0 })).toThrow(/ni \(number of inhibitory units\) must be an integer >= 1; got 0/);
    expect(() => dannDenseInit({ d: 0, ne: 5, ni: 1, seed: 0 })).toThrow(/d must be an integer >= 1; got 0/);
    expect(() => dannDenseInit({ d: 10, ne: 2.5, ni: 1, seed: 0 })).toThrow(/ne must be an integer >= 1; got 2.5/);
    // @ts-expect-error testing a bad variant
    expect(() => dannDenseInit({ d: 10, ne: 5, ni: 1, seed: 0, variant: "xavier" })).toThrow(/unknown variant "xavier"/);
    // @ts-expect-error testing a missing seed
    expect(() => dannDenseInit({ d: 10, ne: 5, ni: 1 })).toThrow(/a seed is required/);
  });
});
