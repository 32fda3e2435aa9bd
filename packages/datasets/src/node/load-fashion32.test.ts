import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { encodeIdx } from "../idx.js";
import { FASHION_MNIST_DIRECTORY, loadFashionMnist } from "./load-fashion-mnist.js";
import { loadFashion32 } from "./load-fashion32.js";

/** Checks that `padded` ([count, 32, 32, channels]) is `original` ([count, 28, 28]) with 2 zero pixels on each side. */
function expectPadded(padded: Float32Array, original: Float32Array, rows: number[], channels: number): void {
  for (const r of rows) {
    let mismatches = 0;
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const inside = y >= 2 && y < 30 && x >= 2 && x < 30;
        const expected = inside ? (original[r * 784 + (y - 2) * 28 + (x - 2)] as number) : 0;
        for (let c = 0; c < channels; c++) if (padded[r * 1024 * channels + (y * 32 + x) * channels + c] !== expected) mismatches++;
      }
    }
    expect(mismatches, `row ${r}`).toBe(0);
  }
}

describe("loadFashion32", () => {
  it("loadFashion32({ dir }) pads 28 x 28 IDX images a test writes to 32 x 32 with zero borders and names the dataset fashion32", () => {
    const dir = mkdtempSync(join(tmpdir(), "fashion32-"));
    const pixels = new Uint8Array(2 * 784);
    for (let i = 0; i < pixels.length; i++) pixels[i] = 1 + (i % 255);
    writeFileSync(join(dir, "train-images-idx3-ubyte.gz"), gzipSync(encodeIdx([2, 28, 28], pixels)));
    writeFileSync(join(dir, "train-labels-idx1-ubyte.gz"), gzipSync(encodeIdx([2], new Uint8Array([4, 2]))));
    writeFileSync(join(dir, "t10k-images-idx3-ubyte.gz"), gzipSync(encodeIdx([1, 28, 28], pixels.subarray(0, 784))));
    writeFileSync(join(dir, "t10k-labels-idx1-ubyte.gz"), gzipSync(encodeIdx([1], new Uint8Array([7]))));
    const original = loadFashionMnist(dir);
    const ds = loadFashion32({ dir });
    expect(ds.name).toBe("fashion32");
    expect(ds.train.shape).toEqual([32, 32, 1]);
    expect(ds.train.features).toBe(1024);
    expect(Array.from(ds.train.labels)).toEqual([4, 2]);
    expectPadded(ds.train.images, original.train.images, [0, 1], 1);
    expectPadded(ds.test.images, original.test.images, [0], 1);
    const rgb = loadFashion32({ dir, channels: 3 });
    expect(rgb.train.shape).toEqual([32, 32, 3]);
    expect(rgb.train.features).toBe(3072);
    expectPadded(rgb.train.images, original.train.images, [0, 1], 3);
    rmSync(dir, { recursive: true });
  });

  it("loadFashion32 refuses channels other than 1 or 3, and a missing folder says how to install dataset-fashion-mnist", () => {
    expect(() => loadFashion32({ channels: 2 as never })).toThrow("loadFashion32: channels must be 1 or 3; got 2");
    expect(() => loadFashion32({ dir: "/nonexistent/fashion" })).toThrow(/Fashion-MNIST: folder not found: \/nonexistent\/fashion; install the Debian package dataset-fashion-mnist/);
  });

  it("loadFashion32() reads Debian's dataset-fashion-mnist: 60,000 / 10,000 images of 32 x 32 x 1, centre equal to the 28 x 28 original", () => {
    if (!existsSync(FASHION_MNIST_DIRECTORY)) {
      expect(() => loadFashion32()).toThrow(/install the Debian package dataset-fashion-mnist/);
      return;
    }
    const original = loadFashionMnist();
    const ds = loadFashion32();
    expect(ds.train.count).toBe(60_000);
    expect(ds.test.count).toBe(10_000);
    expect(ds.train.shape).toEqual([32, 32, 1]);
    expectPadded(ds.train.images, original.train.images, [0, 1, 59_999], 1);
    expectPadded(ds.test.images, original.test.images, [0, 9_999], 1);
    expect(Array.from(ds.train.labels.subarray(0, 5))).toEqual([9, 0, 0, 3, 0]);
    // Sums are unchanged by zero padding: the mean over 32 x 32 is the 28 x 28 mean x 784 / 1024.
    let sum = 0;
    for (const v of ds.train.images) sum += v;
    let sum28 = 0;
    for (const v of original.train.images) sum28 += v;
    expect(sum).toBeCloseTo(sum28, 0);
  });
});
