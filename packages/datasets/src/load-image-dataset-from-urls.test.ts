import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { encodeIdx } from "./idx.js";
import { fakeFetch } from "./internal/test-fixtures.js";
import { loadImageDatasetFromUrls } from "./load-image-dataset-from-urls.js";

const base = "https://example.test/tiny/";
const urls = {
  trainImages: `${base}train-images-idx3-ubyte.gz`,
  trainLabels: `${base}train-labels-idx1-ubyte`,
  testImages: `${base}t10k-images-idx3-ubyte`,
  testLabels: `${base}t10k-labels-idx1-ubyte.gz`,
};

function files(trainLabelCount = 3): Record<string, Uint8Array> {
  return {
    [urls.trainImages]: new Uint8Array(gzipSync(encodeIdx([3, 2, 2], new Uint8Array(12).fill(255)))),
    [urls.trainLabels]: encodeIdx([trainLabelCount], new Uint8Array(trainLabelCount).fill(7)),
    [urls.testImages]: encodeIdx([1, 2, 2], new Uint8Array([0, 51, 102, 255])),
    [urls.testLabels]: new Uint8Array(gzipSync(encodeIdx([1], new Uint8Array([5])))),
  };
}

describe("loadImageDatasetFromUrls", () => {
  it("loadImageDatasetFromUrls(urls, name, fetchImpl) fetches four plain or gzipped files and scales pixels to [0, 1]", async () => {
    const requested: string[] = [];
    const ds = await loadImageDatasetFromUrls(urls, "tiny", fakeFetch(files(), requested));
    expect(requested.sort()).toEqual(Object.values(urls).sort());
    expect(ds.name).toBe("tiny");
    expect(ds.train.count).toBe(3);
    expect(ds.train.features).toBe(4);
    expect(ds.train.images[0]).toBe(1);
    expect(Array.from(ds.test.images)).toEqual([0, 0.2, 0.4, 1].map(Math.fround));
    expect(Array.from(ds.train.labels)).toEqual([7, 7, 7]);
    expect(ds.test.labels[0]).toBe(5);
  });

  it("loadImageDatasetFromUrls names the failing URL, both URLs on a count mismatch, and a missing URL key", async () => {
    const missing = files();
    delete missing[urls.testImages];
    await expect(loadImageDatasetFromUrls(urls, "tiny", fakeFetch(missing))).rejects.toThrow(`${urls.testImages}: HTTP 404 Not Found`);
    await expect(loadImageDatasetFromUrls(urls, "tiny", fakeFetch(files(4)))).rejects.toThrow(
      `${urls.trainImages} has 3 images but ${urls.trainLabels} has 4 labels; expected equal counts`,
    );
    const { testLabels: _, ...three } = urls;
    await expect(loadImageDatasetFromUrls(three as typeof urls, "tiny", fakeFetch(files()))).rejects.toThrow(
      'loadImageDatasetFromUrls("tiny"): urls.testLabels is missing; expected the URLs of all four IDX files',
    );
  });
});
