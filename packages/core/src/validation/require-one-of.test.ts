import { describe, expect, it } from "vitest";
import { requireOneOf } from "./require-one-of.js";

describe("requireOneOf", () => {
  it("requireOneOf(ctx, name, v, allowed) returns an allowed string and lists the allowed ones otherwise", () => {
    expect(requireOneOf("ctx", "scope", "global", ["global", "per-tensor"])).toBe("global");
    expect(() => requireOneOf("ctx", "scope", "layer", ["global", "per-tensor"])).toThrow('ctx: scope must be one of "global", "per-tensor"; got "layer"');
    expect(() => requireOneOf("ctx", "scope", 3, ["global"])).toThrow(TypeError);
  });
});
