import { describe, expect, it } from "vitest";
import { psychometricLevels } from "./psychometric-levels.js";

describe("psychometricLevels", () => {
  it("psychometricLevels(x, chose) groups by x (sorted), counts n and k, and gives p̂ and √(p̂(1 − p̂)/n)", () => {
    const levels = psychometricLevels([5, -5, 5, 0, 5, -5, 5], [1, 0, true, false, 0, 1, 1]);
    expect(levels).toEqual([
      { x: -5, trials: 2, chosen: 1, fraction: 0.5, standardError: Math.sqrt(0.25 / 2) },
      { x: 0, trials: 1, chosen: 0, fraction: 0, standardError: 0 },
      { x: 5, trials: 4, chosen: 3, fraction: 0.75, standardError: Math.sqrt((0.75 * 0.25) / 4) },
    ]);
  });

  it("psychometricLevels merges float noise: 0.1 + 0.2 and 0.3 are one level", () => {
    expect(psychometricLevels([0.1 + 0.2, 0.3], [1, 0]).map((l) => [l.x, l.trials])).toEqual([[0.3, 2]]);
  });

  it("psychometricLevels refuses lengths that differ, no trials, a NaN stimulus and a choice that is not 0 / 1", () => {
    expect(() => psychometricLevels([1, 2], [1])).toThrow("psychometricLevels: got 2 stimulus values and 1 choices; expected one choice per stimulus value");
    expect(() => psychometricLevels([], [])).toThrow("psychometricLevels: got 0 trials; expected at least one");
    expect(() => psychometricLevels([1, Number.NaN], [1, 0])).toThrow("psychometricLevels: stimulus[1] must be a finite number; got NaN");
    expect(() => psychometricLevels([1, 2], [1, 2])).toThrow("psychometricLevels: chose[1] must be 0, 1, true or false; got 2");
  });
});
