import { createRandomSource } from "@dale-nn/ei-init";
import { describe, expect, it } from "vitest";
import { composeTransforms } from "./batch-transform.js";
import type { ShapedImageSplit } from "./image-dataset.js";
import { iterateBatches } from "./iterate-batches.js";
import { cifarAugmentation, padCropFlip } from "./pad-crop-flip.js";
import { perImageStandardizationTransform } from "./per-image-standardization.js";
import { fullView } from "./split-view.js";

/** Images whose every value is distinct and non-zero: row r, value k holds r * 10,000 + k + 1. */
function shapedSplit(count: number, height: number, width: number, channels: number): ShapedImageSplit {
  const features = height * width * channels;
  const images = new Float32Array(count * features);
  for (let i = 0; i < images.length; i++) images[i] = Math.floor(i / features) * 10_000 + (i % features) + 1;
  const labels = new Uint8Array(count).map((_, r) => r % 10);
  return { images, labels, count, features, numClasses: 10, shape: [height, width, channels] };
}

/** The reference: zero-pad `image` by `pad`, crop the window at (wy, wx), optionally mirror it. */
function padCrop(image: Float32Array, [h, w, c]: readonly number[], pad: number, wy: number, wx: number, mirror: boolean): Float32Array {
  const out = new Float32Array(h! * w! * c!);
  for (let y = 0; y < h!; y++) {
    for (let x = 0; x < w!; x++) {
      const cx = mirror ? w! - 1 - x : x;
      const sy = y + wy - pad;
      const sx = cx + wx - pad;
      for (let k = 0; k < c!; k++) out[(y * w! + x) * c! + k] = sy >= 0 && sy < h! && sx >= 0 && sx < w! ? (image[(sy * w! + sx) * c! + k] as number) : 0;
    }
  }
  return out;
}

/** All (window, mirror) draws that reproduce `augmented` from `original`. */
function matchingDraws(augmented: Float32Array, original: Float32Array, shape: readonly number[], pad: number): Array<{ wy: number; wx: number; mirror: boolean }> {
  const found = [];
  for (let wy = 0; wy <= 2 * pad; wy++) {
    for (let wx = 0; wx <= 2 * pad; wx++) {
      for (const mirror of [false, true]) {
        const ref = padCrop(original, shape, pad, wy, wx, mirror);
        if (ref.every((v, i) => v === augmented[i])) found.push({ wy, wx, mirror });
      }
    }
  }
  return found;
}

function epochBatches(split: ShapedImageSplit, seed: number, epoch: number, augment = cifarAugmentation): { rows: number[]; x: number[] } {
  const rows: number[] = [];
  const x: number[] = [];
  for (const b of iterateBatches(fullView(split), { batchSize: 8, seed, epoch, augment })) {
    rows.push(...b.indices);
    x.push(...b.x.subarray(0, b.size * split.features));
  }
  return { rows, x };
}

describe("padCropFlip / cifarAugmentation", () => {
  it("iterateBatches(view, { seed, epoch, augment: cifarAugmentation }) gives the same batches for the same seed and epoch, others across epochs and seeds", () => {
    const split = shapedSplit(20, 32, 32, 3);
    const a = epochBatches(split, 3, 0);
    expect(epochBatches(split, 3, 0)).toEqual(a);
    const b = epochBatches(split, 3, 1);
    expect(b.x).not.toEqual(a.x);
    expect(epochBatches(split, 4, 0).x).not.toEqual(a.x);
    // Same rows visited with shuffle off, yet the crops still differ between epochs.
    const order = (epoch: number) => [...iterateBatches(fullView(split), { batchSize: 20, seed: 3, epoch, shuffle: false, augment: cifarAugmentation })].map((bt) => Array.from(bt.x));
    expect(order(0)).toEqual(order(0));
    expect(order(0)).not.toEqual(order(1));
  });

  it("cifarAugmentation's outputs are exact 32 x 32 windows of the 40 x 40 zero-padded image, possibly mirrored; the split is untouched", () => {
    const split = shapedSplit(24, 32, 32, 3);
    const before = split.images.slice();
    const { rows, x } = epochBatches(split, 11, 2);
    rows.forEach((r, j) => {
      const augmented = Float32Array.from(x.slice(j * 3072, (j + 1) * 3072));
      const draws = matchingDraws(augmented, split.images.subarray(r * 3072, (r + 1) * 3072), [32, 32, 3], 4);
      expect(draws.length, `row ${r}`).toBe(1);
    });
    expect(split.images).toEqual(before);
  });

  it("padCropFlip({ pad: 0 }) only mirrors: each output is the image or its left-right mirror, about half mirrored, at the same label", () => {
    const split = shapedSplit(2000, 4, 5, 2);
    let mirrored = 0;
    for (const b of iterateBatches(fullView(split), { batchSize: 128, seed: 1, epoch: 0, augment: padCropFlip({ pad: 0 }) })) {
      for (let j = 0; j < b.size; j++) {
        const r = b.indices[j] as number;
        expect(b.labels[j]).toBe(r % 10);
        const original = split.images.subarray(r * 40, (r + 1) * 40);
        const out = b.x.subarray(j * 40, (j + 1) * 40);
        const mirror = padCrop(original, [4, 5, 2], 0, 0, 0, true);
        const isMirror = mirror.every((v, i) => v === out[i]);
        const isSame = original.every((v, i) => v === out[i]);
        expect(isMirror !== isSame).toBe(true);
        if (isMirror) mirrored++;
      }
    }
    // Binomial(2000, 1/2): standard deviation 0.011 of the rate.
    expect(mirrored / 2000).toBeGreaterThan(0.45);
    expect(mirrored / 2000).toBeLessThan(0.55);
  });

  it("padCropFlip({ pad: 2, flip: false }) draws every window offset, uniformly, and never mirrors", () => {
    const split = shapedSplit(900, 6, 6, 1);
    const counts = new Map<string, number>();
    for (const b of iterateBatches(fullView(split), { batchSize: 100, seed: 9, augment: padCropFlip({ pad: 2, flip: false }) })) {
      for (let j = 0; j < b.size; j++) {
        const r = b.indices[j] as number;
        const draws = matchingDraws(b.x.subarray(j * 36, (j + 1) * 36), split.images.subarray(r * 36, (r + 1) * 36), [6, 6, 1], 2);
        expect(draws.length).toBe(1);
        expect(draws[0]!.mirror).toBe(false);
        const key = `${draws[0]!.wy},${draws[0]!.wx}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    expect(counts.size).toBe(25);
    // 900 / 25 = 36 expected per offset.
    for (const n of counts.values()) expect(n).toBeGreaterThan(12);
  });

  it("padCropFlip's transform reuses the batch buffer and leaves padding rows of a last partial batch zero", () => {
    const split = shapedSplit(10, 4, 4, 3);
    let x0: Float32Array | undefined;
    for (const b of iterateBatches(fullView(split), { batchSize: 4, seed: 0, augment: cifarAugmentation })) {
      x0 ??= b.x;
      expect(b.x).toBe(x0);
      if (b.size < 4) expect(Array.from(b.x.subarray(b.size * 48)).every((v) => v === 0)).toBe(true);
    }
  });

  it("composeTransforms(cifarAugmentation, perImageStandardizationTransform) augments, then standardises each image", () => {
    const split = shapedSplit(6, 32, 32, 3);
    const augment = composeTransforms(cifarAugmentation, perImageStandardizationTransform);
    expect(augment.name).toBe("pad-crop-flip(4) + per-image-standardization");
    expect(augment.random).toBe(true);
    const plain = epochBatches(split, 5, 0);
    const both = epochBatches(split, 5, 0, augment);
    expect(both.rows).toEqual(plain.rows);
    for (let j = 0; j < 6; j++) {
      const img = both.x.slice(j * 3072, (j + 1) * 3072);
      const mean = img.reduce((s, v) => s + v, 0) / 3072;
      const std = Math.sqrt(img.reduce((s, v) => s + (v - mean) ** 2, 0) / 3072);
      expect(Math.abs(mean)).toBeLessThan(1e-5);
      expect(std).toBeCloseTo(1, 4);
      // Standardising the plain augmented image gives the same values: one random stream, same draws.
      const p = plain.x.slice(j * 3072, (j + 1) * 3072);
      const pm = p.reduce((s, v) => s + v, 0) / 3072;
      const ps = Math.sqrt(p.reduce((s, v) => s + (v - pm) ** 2, 0) / 3072);
      expect(img[100]).toBeCloseTo(((p[100] as number) - pm) / ps, 4);
    }
  });

  it("augment on a split without shape, a random augment without seed, and bad options say what was expected", () => {
    const flat = { ...shapedSplit(3, 2, 2, 1), shape: undefined };
    expect(() => iterateBatches(fullView(flat), { batchSize: 2, seed: 0, augment: cifarAugmentation })).toThrow(
      "pad-crop-flip(4): needs images with a shape [height, width, channels]; the split has none (features 4)",
    );
    expect(() => iterateBatches(fullView(shapedSplit(3, 2, 2, 1)), { batchSize: 2, shuffle: false, augment: cifarAugmentation })).toThrow(
      'iterateBatches: augment "pad-crop-flip(4)" is random and needs a seed (randomness is explicit in dale-nn); got undefined',
    );
    expect(() => iterateBatches(fullView(shapedSplit(3, 2, 2, 1)), { batchSize: 2, seed: 0, augment: {} as never })).toThrow("iterateBatches: augment must be a BatchTransform (with a create function); got {}");
    expect(() => padCropFlip({ pad: -1 })).toThrow("padCropFlip: pad must be an integer >= 0; got -1");
    expect(() => padCropFlip({ flip: "yes" as never })).toThrow('padCropFlip: flip must be a boolean; got "yes"');
    expect(() => composeTransforms(cifarAugmentation, null as never)).toThrow("composeTransforms: argument 1 is not a BatchTransform (no create function); got null");
    const apply = cifarAugmentation.create([2, 2, 1], 4, 1);
    expect(() => apply(new Float32Array(4), 1)).toThrow("pad-crop-flip(4): needs a random source; got undefined");
    expect(() => apply(new Float32Array(4), 1, createRandomSource(0))).not.toThrow();
  });
});
