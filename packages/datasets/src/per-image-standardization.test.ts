import { describe, expect, it } from "vitest";
import { perImageStandardization, perImageStandardizationTransform } from "./per-image-standardization.js";

function stats(values: ArrayLike<number>): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  const mean = sum / values.length;
  let sq = 0;
  for (let i = 0; i < values.length; i++) sq += ((values[i] as number) - mean) ** 2;
  return { mean, std: Math.sqrt(sq / values.length) };
}

describe("perImageStandardization", () => {
  it("perImageStandardization(images, features) gives each image mean 0 and standard deviation 1 over all its pixels and channels", () => {
    const features = 32 * 32 * 3;
    const images = new Float32Array(3 * features);
    for (let i = 0; i < images.length; i++) images[i] = (Math.sin(i * 12.9898) * 43758.5453) % 1 * (1 + Math.floor(i / features)) + Math.floor(i / features);
    const out = perImageStandardization(images, features);
    expect(out).not.toBe(images);
    for (let r = 0; r < 3; r++) {
      const s = stats(out.subarray(r * features, (r + 1) * features));
      expect(Math.abs(s.mean)).toBeLessThan(1e-6);
      expect(s.std).toBeCloseTo(1, 5);
    }
  });

  it("perImageStandardization matches (x - mean) / std on a small image, and works in place", () => {
    const images = new Float32Array([1, 2, 3, 4]);
    // mean 2.5, population std sqrt(1.25); floor 1/sqrt(4) = 0.5 is smaller.
    const expected = [1, 2, 3, 4].map((v) => Math.fround((v - 2.5) / Math.sqrt(1.25)));
    expect(Array.from(perImageStandardization(images, 4))).toEqual(expected);
    expect(perImageStandardization(images, 4, images)).toBe(images);
    expect(Array.from(images)).toEqual(expected);
  });

  it("perImageStandardization uses the floor 1/sqrt(N) when the spread is below it: a constant image maps to 0, a faint one is scaled by sqrt(N)", () => {
    const constant = perImageStandardization(new Float32Array(12).fill(0.7), 12);
    expect(Array.from(constant)).toEqual(new Array(12).fill(0));
    // Values 0.5 +- 0.01: std 0.01 < 1/sqrt(4) = 0.5, so x' = (x - 0.5) / 0.5.
    const faint = perImageStandardization(new Float32Array([0.49, 0.51, 0.49, 0.51]), 4);
    [-0.02, 0.02, -0.02, 0.02].forEach((v, i) => expect(faint[i]).toBeCloseTo(v, 6));
  });

  it("perImageStandardization rejects a features count that does not divide the length, and an out of another length", () => {
    expect(() => perImageStandardization(new Float32Array(10), 4)).toThrow("perImageStandardization: images.length 10 is not a multiple of features 4");
    expect(() => perImageStandardization(new Float32Array(8), 0)).toThrow("perImageStandardization: features must be an integer >= 1; got 0");
    expect(() => perImageStandardization(new Float32Array(8), 4, new Float32Array(4))).toThrow("perImageStandardization: out.length 4 must equal images.length 8");
  });

  it("perImageStandardizationTransform standardises the filled rows of a batch in place and leaves padding rows 0", () => {
    const x = new Float32Array([1, 2, 3, 4, 5, 5, 5, 9, 0, 0, 0, 0]);
    const apply = perImageStandardizationTransform.create(undefined, 4, 3);
    apply(x, 2);
    expect(perImageStandardizationTransform.random).toBe(false);
    expect(Math.abs(stats(x.subarray(0, 4)).mean)).toBeLessThan(1e-7);
    expect(stats(x.subarray(4, 8)).std).toBeCloseTo(1, 6);
    expect(Array.from(x.subarray(8))).toEqual([0, 0, 0, 0]);
  });
});
