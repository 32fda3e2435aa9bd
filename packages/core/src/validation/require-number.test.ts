import { describe, expect, it } from "vitest";
import { requireFinite, requireInRange, requireInteger, requireNonNegative, requirePositive, requireUnitInterval } from "./require-number.js";

describe("number requirements", () => {
  it("requireInteger(ctx, name, v, min, max?) returns v in range and names the value and the range otherwise", () => {
    expect(requireInteger("ctx", "units", 3, 1)).toBe(3);
    expect(() => requireInteger("ctx", "units", 0, 1)).toThrow("ctx: units must be an integer >= 1; got 0");
    expect(() => requireInteger("ctx", "units", 1.5, 1)).toThrow("got 1.5");
    expect(() => requireInteger("ctx", "units", "3", 1)).toThrow('got "3"');
    expect(() => requireInteger("ctx", "k", 5, 0, 4)).toThrow("ctx: k must be an integer in [0, 4]; got 5");
  });

  it("requireFinite, requirePositive, requireNonNegative reject NaN, ±∞ and the wrong sign, naming the value", () => {
    expect(requireFinite("ctx", "m", -2)).toBe(-2);
    expect(() => requireFinite("ctx", "m", Infinity)).toThrow("ctx: m must be a finite number; got Infinity");
    expect(requirePositive("ctx", "lr", 0.1)).toBe(0.1);
    expect(() => requirePositive("ctx", "lr", 0)).toThrow("ctx: lr must be a finite number > 0; got 0");
    expect(requireNonNegative("ctx", "eps", 0)).toBe(0);
    expect(() => requireNonNegative("ctx", "eps", NaN)).toThrow("ctx: eps must be a finite number >= 0; got NaN");
  });

  it("requireInRange(ctx, name, v, lo, hi) includes both ends; requireUnitInterval is (0, 1]", () => {
    expect(requireInRange("ctx", "f", 1, 0, 1)).toBe(1);
    expect(() => requireInRange("ctx", "f", 1.5, 0, 1)).toThrow("ctx: f must be a finite number in [0, 1]; got 1.5");
    expect(requireUnitInterval("ctx", "momentum", 1)).toBe(1);
    expect(() => requireUnitInterval("ctx", "momentum", 0)).toThrow("ctx: momentum must be a number in (0, 1]; got 0");
  });
});
