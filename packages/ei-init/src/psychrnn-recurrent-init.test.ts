import { describe, expect, it } from "vitest";
import { psychRnnRecurrentInit } from "./psychrnn-recurrent-init.js";

describe("psychRnnRecurrentInit", () => {
  it("psychRnnRecurrentInit balances the raw Gaussian (I columns × f/(1 − f)), rescales it before the abs, and signs |W̃| by column", () => {
    let calls = 0;
    const radius = (): number => (++calls === 1 ? 2 : 0.8); // raw radius 2, then the effective one
    const p = psychRnnRecurrentInit({ units: 50, seed: 0, spectralRadius: radius });
    expect(p.radius).toBe(0.8);
    let sE = 0, sI = 0;
    for (let i = 0; i < 50; i++) {
      expect(p.raw.values[i * 50 + i]).toBe(0);
      for (let j = 0; j < 50; j++) {
        const v = p.signed.values[i * 50 + j]!;
        expect(Math.abs(v)).toBeCloseTo(Math.abs(p.raw.values[i * 50 + j]!), 7);
        expect(j < 40 ? v >= 0 : v <= 0).toBe(true);
        if (j < 40) sE += Math.abs(v); else sI += Math.abs(v);
      }
    }
    // E[Σ_E |w|] = E[Σ_I |w|] under the balance: 40 columns of scale 1 vs 10 columns of scale 4.
    expect(sI / sE).toBeGreaterThan(0.85);
    expect(sI / sE).toBeLessThan(1.15);
  });

  it("psychRnnRecurrentInit({excitatoryFraction: null}) is the plain Gaussian at radius ρ, without signs", () => {
    const p = psychRnnRecurrentInit({ units: 30, seed: 1, excitatoryFraction: null, rho: 1.5, spectralRadius: () => 3 });
    expect(p.ni).toBe(0);
    expect(Array.from(p.signs).every((s) => s === 1)).toBe(true);
    expect(p.signed.values.some((v) => v < 0) && p.signed.values.some((v) => v > 0)).toBe(true);
    expect(() => psychRnnRecurrentInit({ units: 30, seed: 1 })).toThrow(/rho = 1.1 needs a spectralRadius function/);
  });
});
