import { describe, expect, it } from "vitest";
import type { ImageSplit } from "@dale-nn/datasets";
import { convImages } from "./conv-images.js";

/** Two 28 × 28 images: a 2 × 2 block of ones at rows 10-11, columns 12-13, and a ramp. */
function split(): ImageSplit {
  const images = new Float32Array(2 * 784);
  for (const [y, x] of [[10, 12], [10, 13], [11, 12], [11, 13]] as const) images[y * 28 + x] = 1;
  for (let i = 0; i < 784; i++) images[784 + i] = i / 783;
  return { images, labels: Uint8Array.from([3, 7]), count: 2, features: 784, numClasses: 10 };
}

function moments(values: Float32Array): { mean: number; std: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return { mean, std: Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length) };
}

describe("convImages", () => {
  it("convImages(split, count, 32) zero-pads 28 × 28 to 32 × 32 × 1 (2 pixels each side) and standardises each image", () => {
    const out = convImages(split(), 2, 32);
    expect(out.shape).toEqual([32, 32, 1]);
    expect(out.features).toBe(1024);
    expect(Array.from(out.labels)).toEqual([3, 7]);
    const first = out.images.subarray(0, 1024);
    const { mean, std } = moments(first);
    expect(Math.abs(mean)).toBeLessThan(1e-6);
    expect(std).toBeCloseTo(1, 5);
    // The block moved by (2, 2): the four brightest pixels are at rows 12-13, columns 14-15.
    const max = Math.max(...first);
    const at = [...first.keys()].filter((i) => first[i] === max);
    expect(at).toEqual([12 * 32 + 14, 12 * 32 + 15, 13 * 32 + 14, 13 * 32 + 15]);
  });

  it("convImages(split, count, 16) averages 2 × 2 blocks of the padded image: the block lands on one 16 × 16 pixel", () => {
    const out = convImages(split(), 1, 16);
    expect(out.shape).toEqual([16, 16, 1]);
    expect(out.count).toBe(1);
    const img = out.images;
    const max = Math.max(...img);
    // Padded rows 12-13, columns 14-15 → pixel (6, 7); every other pixel is the (equal) background.
    expect([...img.keys()].filter((i) => img[i] === max)).toEqual([6 * 16 + 7]);
    expect(new Set(Array.from(img).filter((v) => v !== max)).size).toBe(1);
    // One bright pixel of 256: its std (0.0624) is just under the floor 1/√N = 0.0625, so 0.998.
    expect(moments(img).std).toBeCloseTo(1, 2);
  });

  it.each([
    [{ ...split(), features: 100 }, 1, 16, /expected 28 × 28 MNIST images \(784 features per row\); got 100/],
    [split(), 3, 16, /count must be an integer in \[1, 2\]; got 3/],
    [split(), 1, 24, /size must be 16 or 32; got 24/],
  ])("convImages(bad input) throws a RangeError naming the value (%#)", (s, count, size, message) => {
    expect(() => convImages(s, count, size as 16)).toThrow(message);
  });
});
