import { describe, expect, it } from "vitest";
import { padImages } from "./pad-images.js";
import { syntheticSplit } from "./internal/test-fixtures.js";

describe("padImages", () => {
  it("padImages(split, { height: 32, width: 32, from: [28, 28, 1] }) puts 2 pixels of zeros on each side and keeps the centre", () => {
    const split = syntheticSplit(3, 784);
    const padded = padImages(split, { height: 32, width: 32, from: [28, 28, 1] });
    expect(padded.shape).toEqual([32, 32, 1]);
    expect(padded.features).toBe(1024);
    expect(padded.count).toBe(3);
    expect(Array.from(padded.labels)).toEqual(Array.from(split.labels));
    for (let r = 0; r < 3; r++) {
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) {
          const v = padded.images[r * 1024 + y * 32 + x];
          const inside = y >= 2 && y < 30 && x >= 2 && x < 30;
          expect(v).toBe(inside ? split.images[r * 784 + (y - 2) * 28 + (x - 2)] : 0);
        }
      }
    }
  });

  it("padImages keeps channels interleaved (NHWC) and centres odd margins with the extra row and column after", () => {
    const split = { ...syntheticSplit(1, 2 * 2 * 3), shape: [2, 2, 3] as const };
    const padded = padImages(split, { height: 5, width: 3 });
    expect(padded.shape).toEqual([5, 3, 3]);
    // top = 1, left = 0: input (y, x, c) -> output (y + 1, x, c).
    const out = Array.from(padded.images);
    expect(out.slice(0, 9)).toEqual(new Array(9).fill(0));
    expect(out.slice(9, 15)).toEqual(Array.from(split.images.subarray(0, 6)));
    expect(out.slice(15, 18)).toEqual([0, 0, 0]);
    expect(out.slice(18, 24)).toEqual(Array.from(split.images.subarray(6, 12)));
    expect(out.slice(24)).toEqual(new Array(21).fill(0));
  });

  it("padImages without a shape, with a shape that does not fit, or with a smaller target says what was expected", () => {
    const split = syntheticSplit(1, 784);
    expect(() => padImages(split, { height: 32, width: 32 })).toThrow("padImages: the split has no shape (features 784); pass options.from = [height, width, channels]");
    expect(() => padImages(split, { height: 32, width: 32, from: [28, 28, 3] })).toThrow("padImages: shape [28,28,3] does not fit the split's 784 features per image");
    expect(() => padImages(split, { height: 27, width: 32, from: [28, 28, 1] })).toThrow("padImages: height must be an integer >= 28; got 27");
  });
});
