import { describe, expect, it } from "vitest";
import { pycogRecurrentInit } from "./pycog-recurrent-init.js";
import { typeConnectivityMask } from "./type-connectivity-mask.js";
import { splitByExcitatoryFraction } from "./excitatory-split.js";

/** A stub radius (ei-init depends on no eigen-solver): the rescale by ρ₀ / ρ is checked here, the real radius 1.5 in ei-layers with @dale-nn/spectra. */
const fakeRadius = (): number => 3;

describe("pycogRecurrentInit", () => {
  it("pycogRecurrentInit({units: 50}) draws gamma magnitudes, no autapses, E columns ≥ 0 and I columns ≤ 0, rows balanced to sum 0, scaled by ρ₀ / ρ", () => {
    const raw = pycogRecurrentInit({ units: 50, seed: 0, rho: null });
    const p = pycogRecurrentInit({ units: 50, seed: 0, spectralRadius: fakeRadius });
    expect([p.ne, p.ni]).toEqual([40, 10]);
    expect(p.radius).toBe(3); // what the given function reports after rescaling
    for (let i = 0; i < 50; i++) {
      expect(p.magnitudes.values[i * 50 + i]).toBe(0);
      let rowSum = 0, rowAbs = 0;
      for (let j = 0; j < 50; j++) {
        const v = p.signed.values[i * 50 + j]!;
        expect(j < 40 ? v >= 0 : v <= 0).toBe(true);
        expect(v).toBeCloseTo(raw.signed.values[i * 50 + j]! * 0.5, 5);
        expect(Math.abs(v)).toBeCloseTo(p.magnitudes.values[i * 50 + j]!, 6);
        rowSum += v;
        rowAbs += Math.abs(v);
      }
      expect(Math.abs(rowSum) / rowAbs).toBeLessThan(1e-6);
    }
    expect(p.unbalancedRows).toBe(0);
  });

  it("pycogRecurrentInit's gamma magnitudes have the Gamma(2) shape (coefficient of variation 1/√2) before balancing; 'exponential' gives CV 1", () => {
    const cv = (distribution: "gamma" | "exponential"): number => {
      const p = pycogRecurrentInit({ units: 200, seed: 1, rho: null, balance: false, distribution });
      const e: number[] = [];
      for (let i = 0; i < 200; i++) for (let j = 0; j < 160; j++) if (i !== j) e.push(p.magnitudes.values[i * 200 + j]!);
      const m = e.reduce((a, b) => a + b, 0) / e.length;
      const sd = Math.sqrt(e.reduce((a, b) => a + (b - m) ** 2, 0) / e.length);
      return sd / m;
    };
    expect(cv("gamma")).toBeCloseTo(1 / Math.sqrt(2), 1);
    expect(cv("exponential")).toBeCloseTo(1, 1);
  });

  it("pycogRecurrentInit is seeded, takes a type mask (no I→I leaves I rows unbalanced) and rejects bad options naming the value", () => {
    const a = pycogRecurrentInit({ units: 20, seed: 3, rho: null });
    const b = pycogRecurrentInit({ units: 20, seed: 3, rho: null });
    expect(Array.from(a.signed.values)).toEqual(Array.from(b.signed.values));
    const mask = typeConnectivityMask({ ne: 16, ni: 4, density: { fromItoI: 0 } });
    const m = pycogRecurrentInit({ units: 20, seed: 3, rho: null, mask });
    for (let i = 16; i < 20; i++) for (let j = 16; j < 20; j++) expect(m.signed.values[i * 20 + j]).toBe(0);
    expect(m.unbalancedRows).toBe(4);
    expect(() => pycogRecurrentInit({ units: 20, seed: 0 })).toThrow(/rho = 1.5 needs a spectralRadius function/);
    expect(() => pycogRecurrentInit({ units: 20, seed: 0, rho: null, mask: new Float32Array(10) })).toThrow(/mask must be \[20, 20\] \(n x n, post x pre\); got 10 values/);
    expect(() => pycogRecurrentInit({ units: 20, seed: 0, rho: null, gammaShape: 0 })).toThrow(/gammaShape must be a finite number > 0; got 0/);
    expect(() => pycogRecurrentInit({ units: 20, seed: 0, rho: -1 })).toThrow(/rho must be a finite number > 0; got -1/);
    expect(() => pycogRecurrentInit({ units: 4, seed: 0, rho: null, excitatoryFraction: 1 })).toThrow(/excitatoryFraction 1 of 4 units leaves no inhibitory unit/);
  });

  it("splitByExcitatoryFraction(n, f) puts ⌊f n⌋ E units first (pycog, PsychRNN) and needs at least one of each", () => {
    expect(splitByExcitatoryFraction("t", 50, 0.8)).toEqual({ ne: 40, ni: 10 });
    expect(splitByExcitatoryFraction("t", 10, 0.95)).toEqual({ ne: 9, ni: 1 });
    expect(() => splitByExcitatoryFraction("t", 10, 0.05)).toThrow(/leaves no excitatory unit/);
    expect(() => splitByExcitatoryFraction("t", 10, Number.NaN)).toThrow(/excitatoryFraction must be a number in \[0, 1\] .*; got NaN/);
  });
});
