import { describe, expect, it } from "vitest";
import { formatValue } from "./format-value.js";

describe("formatValue", () => {
  it("formatValue quotes strings and prints numbers, booleans, null and undefined as JavaScript does", () => {
    expect(formatValue("relu")).toBe('"relu"');
    expect(formatValue(NaN)).toBe("NaN");
    expect(formatValue(-0.31)).toBe("-0.31");
    expect(formatValue(true)).toBe("true");
    expect(formatValue(null)).toBe("null");
    expect(formatValue(undefined)).toBe("undefined");
  });

  it("formatValue names functions and typed arrays, writes objects as JSON and cuts long JSON at 80 characters", () => {
    expect(formatValue(() => 1)).toBe("a function");
    expect(formatValue(new Float32Array(3))).toBe("Float32Array(3)");
    expect(formatValue({ kind: "nonneg" })).toBe('{"kind":"nonneg"}');
    const long = formatValue(Array.from({ length: 100 }, (_, i) => i));
    expect(long.length).toBe(80);
    expect(long.endsWith("...")).toBe(true);
  });

  it("formatValue of a cyclic object or a symbol falls back to its tag", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(formatValue(cyclic)).toBe("[object Object]");
    expect(formatValue(Symbol("s"))).toBe("[object Symbol]");
  });
});
