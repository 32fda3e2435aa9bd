import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { encodeIdx } from "./idx.js";
import { gunzip, isGzip, parseIdxAuto } from "./parse-idx-auto.js";

describe("parseIdxAuto", () => {
  const data = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => (i * 37) % 256);
  const plain = encodeIdx([2, 3, 4], data);

  it("parseIdxAuto(plain IDX) parses without inflating", async () => {
    const parsed = await parseIdxAuto(plain);
    expect(parsed.shape).toEqual([2, 3, 4]);
    expect(Array.from(parsed.data)).toEqual(Array.from(data));
  });

  it("parseIdxAuto(gzipSync(IDX)) inflates with DecompressionStream and parses", async () => {
    const gz = new Uint8Array(gzipSync(plain));
    expect(isGzip(gz)).toBe(true);
    expect(isGzip(plain)).toBe(false);
    const parsed = await parseIdxAuto(gz, "x.gz");
    expect(parsed.shape).toEqual([2, 3, 4]);
    expect(Array.from(parsed.data)).toEqual(Array.from(data));
  });

  it("gunzip(bytes) joins the chunks of an output larger than one stream chunk", async () => {
    const big = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251);
    const out = await gunzip(new Uint8Array(gzipSync(big)));
    expect(out.length).toBe(big.length);
    expect(out[123_456]).toBe(big[123_456]);
    expect(out[299_999]).toBe(big[299_999]);
  });

  it("parseIdxAuto rejects truncated or corrupt gzip data and a bad IDX inside gzip, naming the source", async () => {
    const gz = new Uint8Array(gzipSync(plain));
    await expect(parseIdxAuto(gz.subarray(0, gz.length - 10), "train.gz")).rejects.toThrow(/^train.gz: corrupt or truncated gzip data/);
    const corrupt = gz.slice();
    corrupt[12]! ^= 0xff;
    corrupt[13]! ^= 0xff;
    await expect(parseIdxAuto(corrupt, "c.gz")).rejects.toThrow(/c.gz: corrupt or truncated gzip data/);
    const badInside = new Uint8Array(gzipSync(plain.subarray(0, plain.length - 1)));
    await expect(parseIdxAuto(badInside, "short.gz")).rejects.toThrow(/short.gz: IDX data length 23 does not match shape \[2, 3, 4\]/);
  });
});
