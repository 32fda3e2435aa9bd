import { describe, expect, it } from "vitest";
import { colEiRnnInit, dannRnnInit, standardRnnInit } from "./recurrent-init.js";

function stats(v: Float32Array): { mean: number; variance: number } {
  let s = 0, s2 = 0;
  for (const x of v) { s += x; s2 += x * x; }
  const mean = s / v.length;
  return { mean, variance: s2 / v.length - mean * mean };
}

/** W = M_EE − M_EI M_IE in float64. */
function compose(ee: Float32Array, ie: Float32Array, ei: Float32Array, ne: number, ni: number, d: number): Float64Array {
  const w = new Float64Array(ne * d);
  for (let r = 0; r < ne; r++) {
    for (let c = 0; c < d; c++) {
      let s = 0;
      for (let k = 0; k < ni; k++) s += ei[r * ni + k]! * ie[k * d + c]!;
      w[r * d + c] = ee[r * d + c]! - s;
    }
  }
  return w;
}

describe("recurrent initialisers", () => {
  it("standardRnnInit({hidden: n}) draws U and W from Uniform(−1/√n, 1/√n) (variance 1/(3n)) with b = 0", () => {
    const n = 300;
    const p = standardRnnInit({ inputs: 28, hidden: n, seed: 0 });
    expect(p.u.shape).toEqual([n, 28]);
    expect(p.w.values.every((v) => Math.abs(v) <= 1 / Math.sqrt(n))).toBe(true);
    expect(stats(p.w.values).variance * 3 * n).toBeCloseTo(1, 1);
    expect(p.bias.values.every((v) => v === 0)).toBe(true);
  });

  it("dannRnnInit makes W = W_EE − W_EI W_IE exactly column-centred with variance ≈ 1/(3n), W_EI rows summing to 1 (Sec. 2.2)", () => {
    const ne = 270, ni = 30;
    const p = dannRnnInit({ inputs: 28, ne, ni, seed: 1 });
    expect(p.w.ee.shape).toEqual([ne, ne]);
    expect(p.w.ie.shape).toEqual([ni, ne]);
    expect(p.w.ei.shape).toEqual([ne, ni]);
    expect(p.u.ee.shape).toEqual([ne, 28]);
    for (const f of [p.w, p.u]) {
      expect([f.ee.values, f.ie.values, f.ei.values].every((a) => a.every((v) => v >= 0))).toBe(true);
      for (let r = 0; r < ne; r++) {
        let s = 0;
        for (let k = 0; k < ni; k++) s += f.ei.values[r * ni + k]!;
        expect(s).toBeCloseTo(1, 5);
      }
    }
    const w = compose(p.w.ee.values, p.w.ie.values, p.w.ei.values, ne, ni, ne);
    for (let c = 0; c < ne; c++) {
      let s = 0;
      for (let r = 0; r < ne; r++) s += w[r * ne + c]!;
      expect(Math.abs(s / ne)).toBeLessThan(1e-6);
    }
    let s2 = 0;
    for (const v of w) s2 += v * v;
    // Var(exp) = std² = 1/(3(ne − 1)); centring by the column mean keeps (ne − 1)/ne of it: 1/(3 ne).
    expect((s2 / w.length) * 3 * ne).toBeCloseTo(1, 1);
  });

  it("dannRnnInit({stdScale}) scales W's E→E factor and rejects ne < 2 or ni < 1", () => {
    const a = dannRnnInit({ inputs: 4, ne: 50, ni: 5, seed: 2 });
    const b = dannRnnInit({ inputs: 4, ne: 50, ni: 5, seed: 2, stdScale: 2 });
    expect(stats(b.w.ee.values).mean / stats(a.w.ee.values).mean).toBeCloseTo(2, 5);
    expect(() => dannRnnInit({ inputs: 4, ne: 1, ni: 1, seed: 0 })).toThrow(/ne must be an integer >= 2; got 1/);
    expect(() => dannRnnInit({ inputs: 4, ne: 10, ni: 0, seed: 0 })).toThrow(/ni \(number of inhibitory units\) must be an integer >= 1; got 0/);
  });

  it("standardRnnInit({rho, spectralRadius}) scales W by exactly ρ/ρ₀ and leaves U and b as drawn", () => {
    const a = standardRnnInit({ inputs: 4, hidden: 20, seed: 5 });
    const b = standardRnnInit({ inputs: 4, hidden: 20, seed: 5, rho: 3, spectralRadius: () => 0.5 });
    a.w.values.forEach((v, i) => expect(b.w.values[i]!).toBeCloseTo(v * 6, 5));
    expect(Array.from(b.u.values)).toEqual(Array.from(a.u.values));
    expect(() => standardRnnInit({ inputs: 4, hidden: 20, seed: 5, rho: 1 })).toThrow(/standardRnnInit: rho = 1 needs a spectralRadius function/);
    expect(() => standardRnnInit({ inputs: 4, hidden: 20, seed: 5, rho: -1, spectralRadius: () => 1 })).toThrow(/rho/);
    expect(() => standardRnnInit({ inputs: 4, hidden: 20, seed: 5, rho: 1, spectralRadius: () => 0 })).toThrow(/spectral radius of W before rescaling is 0/);
  });

  it("dannRnnInit({rho, spectralRadius}) scales W_EE and W_IE so that W scales by exactly ρ/ρ₀", () => {
    const ne = 20, ni = 3;
    const a = dannRnnInit({ inputs: 4, ne, ni, seed: 5 });
    const b = dannRnnInit({ inputs: 4, ne, ni, seed: 5, rho: 1, spectralRadius: () => 4 });
    const wa = compose(a.w.ee.values, a.w.ie.values, a.w.ei.values, ne, ni, ne);
    const wb = compose(b.w.ee.values, b.w.ie.values, b.w.ei.values, ne, ni, ne);
    wa.forEach((v, i) => expect(wb[i]!).toBeCloseTo(v / 4, 6));
    expect(() => dannRnnInit({ inputs: 4, ne, ni, seed: 5, rho: 1 })).toThrow(/rho = 1 needs a spectralRadius function/);
  });

  it("colEiRnnInit signs W's columns (E first), zeroes its diagonal and rescales it to radius ρ with the given spectral-radius function", () => {
    const n = 100, ni = 10;
    const p = colEiRnnInit({ inputs: 28, hidden: n, ni, seed: 3, firstLayer: { inputMean: 0.1307 }, spectralRadius: () => 3, rho: 1.5 });
    const raw = colEiRnnInit({ inputs: 28, hidden: n, ni, seed: 3, firstLayer: { inputMean: 0.1307 } });
    expect(p.ne).toBe(90);
    for (let r = 0; r < n; r++) {
      expect(p.w.values[r * n + r]).toBe(0);
      for (let c = 0; c < n; c++) {
        const v = p.w.values[r * n + c]!;
        if (c < 90) expect(v).toBeGreaterThanOrEqual(0);
        else expect(v).toBeLessThanOrEqual(0);
        expect(v).toBeCloseTo(raw.w.values[r * n + c]! * 0.5, 6);
      }
    }
    expect(p.u.values.every((v) => v >= 0)).toBe(true);
    expect(p.bias.values[0]).toBeCloseTo(-Math.sqrt(28) * 0.1307, 5);
    const deeper = colEiRnnInit({ inputs: 100, hidden: 50, ni: 5, inputNi: 10, seed: 4 });
    expect(deeper.nonnegInputColumns).toBe(90);
    expect(() => colEiRnnInit({ inputs: 28, hidden: 10, ni: 10, seed: 0, firstLayer: { inputMean: 0 } })).toThrow(/ni must be < hidden \(10\); got 10/);
    expect(() => colEiRnnInit({ inputs: 28, hidden: 10, ni: 1, seed: 0, firstLayer: { inputMean: 0 }, spectralRadius: () => 0 })).toThrow(/spectral radius of W before rescaling is 0/);
  });
});
