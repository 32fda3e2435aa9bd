import { describe, expect, it } from "vitest";
import { firstStepSequence } from "./first-step-sequence.js";
import { syntheticSplit } from "./internal/test-fixtures.js";

describe("firstStepSequence", () => {
  it("firstStepSequence(images, 5) puts each image at step 0 and zeros at steps 1-4 (Li et al. 2023, App. 6.2.4)", () => {
    const images = syntheticSplit(3, 4, 8); // row r pixel k = r + k / 8
    const seq = firstStepSequence(images, 5);
    expect(seq).toMatchObject({ count: 3, features: 20, steps: 5, stepFeatures: 4, numClasses: 8 });
    expect(seq.images.length).toBe(60);
    for (let r = 0; r < 3; r++) {
      expect(Array.from(seq.images.subarray(r * 20, r * 20 + 4))).toEqual([r, r + 0.125, r + 0.25, r + 0.375]);
      expect(seq.images.subarray(r * 20 + 4, (r + 1) * 20).every((v) => v === 0)).toBe(true);
    }
    expect(seq.labels).toEqual(images.labels);
    expect(seq.labels).not.toBe(images.labels);
    expect(firstStepSequence(images, 1).images).toEqual(images.images);
  });

  it("firstStepSequence copies targets of a regression split", () => {
    const split = { ...syntheticSplit(2, 3, 1), numClasses: 0, targets: new Float32Array([1, 2]), targetSize: 1 };
    const seq = firstStepSequence(split, 2);
    expect(seq.targets).toEqual(new Float32Array([1, 2]));
    expect(seq.targetSize).toBe(1);
  });

  it("firstStepSequence rejects steps < 1 and something that is not a split", () => {
    expect(() => firstStepSequence(syntheticSplit(2), 0)).toThrow("firstStepSequence: steps must be an integer >= 1; got 0");
    expect(() => firstStepSequence(syntheticSplit(2), 2.5)).toThrow("firstStepSequence: steps must be an integer >= 1; got 2.5");
    expect(() => firstStepSequence({ ...syntheticSplit(2, 3), count: 5 }, 2)).toThrow(
      "firstStepSequence: expected an ImageSplit with a Float32Array of count x features values; got count 5, features 3, 6 values",
    );
  });
});
