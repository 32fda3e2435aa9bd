import { describe, expect, it } from "vitest";
import { formatSigned } from "./format-signed.js";

describe("formatSigned", () => {
  it("always shows the sign", () => {
    expect(formatSigned(0.254, 2)).toBe("+0.25");
    expect(formatSigned(-1.5, 2)).toBe("-1.50");
    expect(formatSigned(0, 3)).toBe("+0.000");
    expect(formatSigned(-0, 2)).toBe("+0.00");
  });
});
