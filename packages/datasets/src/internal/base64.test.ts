import { describe, expect, it } from "vitest";
import { decodeBase64 } from "./base64.js";

describe("decodeBase64", () => {
  it("decodeBase64(text) matches Buffer's decoding for every length mod 3, padded or not", () => {
    const bytes = new Uint8Array(300);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37 + 11) % 256;
    for (let n = 0; n < 12; n++) {
      const encoded = Buffer.from(bytes.subarray(0, 250 + n)).toString("base64");
      expect(Array.from(decodeBase64(encoded, "t"))).toEqual(Array.from(bytes.subarray(0, 250 + n)));
      expect(Array.from(decodeBase64(encoded.replace(/=+$/, ""), "t"))).toEqual(Array.from(bytes.subarray(0, 250 + n)));
    }
    expect(decodeBase64("", "t").length).toBe(0);
  });

  it("decodeBase64 rejects a character outside the alphabet and a truncated text, naming the source", () => {
    expect(() => decodeBase64("AAA*", "cats")).toThrow('cats: character "*" at position 3 is not base64');
    expect(() => decodeBase64("AAAAA", "dogs")).toThrow("dogs: base64 text of 5 characters (without padding) is truncated");
  });
});
