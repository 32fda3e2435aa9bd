import { describe, expect, it } from "vitest";
import { seededRandom } from "./seeded-random.js";

describe("seededRandom", () => {
  it("seededRandom(42) gives the recorded mulberry32 / Box–Muller numbers", () => {
    const r = seededRandom(42);
    expect([r.uniform(), r.uniform(), r.normal(), r.exponential(2)]).toEqual([0.6011037519201636, 0.44829055899754167, -0.9453528099747296, 0.3842926816170341]);
    expect(seededRandom(0).uniform()).toBe(0.26642920868471265);
  });

  it("seededRandom(seed) repeats for a seed and differs between seeds; uniforms in [0, 1)", () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const xs = Array.from({ length: 1000 }, () => a.uniform());
    expect(Array.from({ length: 1000 }, () => b.uniform())).toEqual(xs);
    expect(Array.from({ length: 1000 }, () => c.uniform())).not.toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });

  it("seededRandom(seed).normal() has mean ≈ 0 and variance ≈ 1; exponential(m) mean ≈ m", () => {
    const r = seededRandom(3);
    const n = 20_000;
    const z = Array.from({ length: n }, () => r.normal());
    const mean = z.reduce((s, x) => s + x, 0) / n;
    const variance = z.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    const e = Array.from({ length: n }, () => r.exponential(2));
    expect(Math.abs(e.reduce((s, x) => s + x, 0) / n - 2)).toBeLessThan(0.06);
  });
});
