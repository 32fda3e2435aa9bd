import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { DATASET_PIXEL_MEANS } from "../dataset-pixel-means.js";
import { encodeIdx } from "../idx.js";
import { FASHION_MNIST_DIRECTORY, loadFashionMnist } from "./load-fashion-mnist.js";

const MISSING_FOLDER = /^Fashion-MNIST: folder not found: .*; install the Debian package dataset-fashion-mnist .* or pass a folder holding train-images-idx3-ubyte/;

describe("loadFashionMnist", () => {
  it("loadFashionMnist(dir) reads four gzipped IDX files a test generates and names the dataset fashion", () => {
    const dir = mkdtempSync(join(tmpdir(), "fashion-"));
    writeFileSync(join(dir, "train-images-idx3-ubyte.gz"), gzipSync(encodeIdx([2, 2, 2], new Uint8Array([255, 0, 0, 0, 0, 0, 0, 255]))));
    writeFileSync(join(dir, "train-labels-idx1-ubyte.gz"), gzipSync(encodeIdx([2], new Uint8Array([9, 0]))));
    writeFileSync(join(dir, "t10k-images-idx3-ubyte.gz"), gzipSync(encodeIdx([1, 2, 2], new Uint8Array(4))));
    writeFileSync(join(dir, "t10k-labels-idx1-ubyte.gz"), gzipSync(encodeIdx([1], new Uint8Array([3]))));
    const ds = loadFashionMnist(dir);
    expect(ds.name).toBe("fashion");
    expect(ds.train.count).toBe(2);
    expect(Array.from(ds.train.labels)).toEqual([9, 0]);
    expect(ds.train.images[7]).toBe(1);
  });

  it("loadFashionMnist(missing folder) says how to install dataset-fashion-mnist; a missing file is named", () => {
    expect(() => loadFashionMnist("/nonexistent/fashion")).toThrow(MISSING_FOLDER);
    expect(() => loadFashionMnist("/nonexistent/fashion")).toThrow(/folder not found: \/nonexistent\/fashion;/);
    const dir = mkdtempSync(join(tmpdir(), "fashion-"));
    expect(() => loadFashionMnist(dir)).toThrow(/train-images-idx3-ubyte: file not found \(also tried train-images-idx3-ubyte.gz\)/);
  });

  // Debian's dataset-fashion-mnist is installed on the development machine; CI machines may lack
  // it, and then the default folder must fail with the install hint instead.
  it("loadFashionMnist() reads Debian's dataset-fashion-mnist: 60,000 / 10,000 images, mean pixel 0.2860 (or explains how to install it)", () => {
    if (!existsSync(FASHION_MNIST_DIRECTORY)) {
      expect(() => loadFashionMnist()).toThrow(MISSING_FOLDER);
      return;
    }
    const ds = loadFashionMnist();
    expect(ds.train.count).toBe(60_000);
    expect(ds.test.count).toBe(10_000);
    expect(ds.train.features).toBe(784);
    let sum = 0;
    for (const v of ds.train.images) sum += v;
    expect(sum / ds.train.images.length).toBeCloseTo(DATASET_PIXEL_MEANS.fashion, 4);
    expect(Array.from(ds.train.labels.subarray(0, 5))).toEqual([9, 0, 0, 3, 0]);
  });
});
