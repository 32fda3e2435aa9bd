import { describe, expect, it } from "vitest";
import { isTruncatedJson } from "./is-truncated-json.js";

describe("isTruncatedJson", () => {
  const row = JSON.stringify({ schema: 1, a: [1, -2.5e-3, { b: "x\\\"y\u00e9\n" }], c: null, d: true, e: false, f: {} , g: [] });

  it("isTruncatedJson(prefix) is true for every proper prefix of a JSON row", () => {
    for (let k = 1; k < row.length; k++) expect(isTruncatedJson(row.slice(0, k)), row.slice(0, k)).toBe(true);
  });

  it("isTruncatedJson is false for complete, empty or invalid text", () => {
    expect(isTruncatedJson(row)).toBe(false);
    expect(isTruncatedJson("")).toBe(false);
    expect(isTruncatedJson("   ")).toBe(false);
    expect(isTruncatedJson("not json")).toBe(false);
    expect(isTruncatedJson('{"schema":1,"ex{"schema":1}')).toBe(false);
    expect(isTruncatedJson('{"a":1}}')).toBe(false);
    expect(isTruncatedJson('{"a":tru')).toBe(true);
    expect(isTruncatedJson('{"a":trx')).toBe(false);
    expect(isTruncatedJson('{a:1')).toBe(false);
  });
});
