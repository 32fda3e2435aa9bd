import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { encodeIdx } from "./idx.js";
import { fakeFetch } from "./internal/test-fixtures.js";
import { loadIdxFromUrl, type FetchLike } from "./load-idx-from-url.js";

describe("loadIdxFromUrl", () => {
  const labels = encodeIdx([4], new Uint8Array([3, 1, 4, 1]));

  it("loadIdxFromUrl(url, fetchImpl) parses a plain IDX response", async () => {
    const requested: string[] = [];
    const idx = await loadIdxFromUrl("https://example.test/labels", fakeFetch({ "https://example.test/labels": labels }, requested));
    expect(requested).toEqual(["https://example.test/labels"]);
    expect(idx.shape).toEqual([4]);
    expect(Array.from(idx.data)).toEqual([3, 1, 4, 1]);
  });

  it("loadIdxFromUrl(new URL(...), fetchImpl) inflates a gzipped response", async () => {
    const url = new URL("https://example.test/labels.gz");
    const idx = await loadIdxFromUrl(url, fakeFetch({ [url.href]: new Uint8Array(gzipSync(labels)) }));
    expect(Array.from(idx.data)).toEqual([3, 1, 4, 1]);
  });

  it("loadIdxFromUrl(url) uses the global fetch by default (a data: URL, no network)", async () => {
    const url = `data:application/octet-stream;base64,${Buffer.from(labels).toString("base64")}`;
    const idx = await loadIdxFromUrl(url);
    expect(idx.shape).toEqual([4]);
  });

  it("loadIdxFromUrl names the URL and the HTTP status on a 404, the URL on a network error and on a malformed body", async () => {
    await expect(loadIdxFromUrl("https://example.test/missing.gz", fakeFetch({}))).rejects.toThrow(
      "https://example.test/missing.gz: HTTP 404 Not Found; expected a 2xx response with an IDX file",
    );
    const down: FetchLike = async () => {
      throw new TypeError("fetch failed");
    };
    await expect(loadIdxFromUrl("https://example.test/x", down)).rejects.toThrow("https://example.test/x: request failed (fetch failed)");
    await expect(loadIdxFromUrl("https://example.test/bad", fakeFetch({ "https://example.test/bad": new Uint8Array([1, 2, 3, 4, 5]) }))).rejects.toThrow(
      /https:\/\/example.test\/bad: bad IDX magic number 0x01020304/,
    );
    const gz = new Uint8Array(gzipSync(labels));
    await expect(loadIdxFromUrl("https://example.test/cut.gz", fakeFetch({ "https://example.test/cut.gz": gz.subarray(0, 12) }))).rejects.toThrow(
      /https:\/\/example.test\/cut.gz: corrupt or truncated gzip data/,
    );
  });
});
