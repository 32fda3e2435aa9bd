import { describe, expect, it } from "vitest";
import { nelderMead } from "./nelder-mead.js";

describe("nelderMead (bounded)", () => {
  it("nelderMead(Rosenbrock, [-1.2, 1]) reaches (1, 1) inside the box", () => {
    const r = nelderMead((x) => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2, [-1.2, 1], { lo: [-2, -2], hi: [2, 2], step: [0.5, 0.5], tolerance: 1e-12, maxIterations: 2000 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 5);
    expect(r.x[1]).toBeCloseTo(1, 5);
  });

  it("nelderMead puts a minimum outside the box exactly on the bound (1-D and 2-D)", () => {
    expect(nelderMead((x) => (x[0]! + 1) ** 2, [0.1], { lo: [0], hi: [0.5], step: [0.1] }).x[0]).toBe(0);
    const r = nelderMead((x) => (x[0]! - 3) ** 2 + (x[1]! - 0.2) ** 2, [0.1, 0.1], { lo: [0, 0], hi: [0.5, 0.5], step: [0.1, 0.1] });
    expect(r.x[0]).toBe(0.5);
    expect(r.x[1]).toBeCloseTo(0.2, 6);
  });
});
