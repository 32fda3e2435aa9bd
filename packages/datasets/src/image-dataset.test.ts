import { describe, expect, it } from "vitest";
import { encodeIdx } from "./idx.js";
import { imageDatasetFromIdxBytes } from "./image-dataset.js";

const idx = (shape: number[]): Uint8Array => encodeIdx(shape, new Uint8Array(shape.reduce((a, b) => a * b, 1)).fill(255));

describe("imageDatasetFromIdxBytes", () => {
  it("imageDatasetFromIdxBytes(train 28 x 28, test 28 x 28) pairs the splits with pixels in [0, 1]", () => {
    const ds = imageDatasetFromIdxBytes("mnist", { trainImages: idx([3, 28, 28]), trainLabels: encodeIdx([3], new Uint8Array([1, 2, 3])), testImages: idx([2, 28, 28]), testLabels: encodeIdx([2], new Uint8Array([4, 5])) });
    expect(ds.train.count).toBe(3);
    expect(ds.test.features).toBe(784);
    expect(ds.test.images[0]).toBe(1);
  });

  it("imageDatasetFromIdxBytes(train 28 x 28, test 32 x 32) refuses naming both files and sizes instead of scrambling rows", () => {
    expect(() =>
      imageDatasetFromIdxBytes(
        "mine",
        { trainImages: idx([4, 28, 28]), trainLabels: encodeIdx([4], new Uint8Array(4)), testImages: idx([3, 32, 32]), testLabels: encodeIdx([3], new Uint8Array(3)) },
        { trainImages: "a/train-images", trainLabels: "a/train-labels", testImages: "a/t10k-images", testLabels: "a/t10k-labels" },
      ),
    ).toThrow(/^a\/t10k-images: test images are \[32 x 32\] but a\/train-images are \[28 x 28\]; expected train and test images of one size$/);
  });

  it("imageDatasetFromIdxBytes(train 28 x 28, test 784-long rows with the same pixel count) still refuses: shapes differ", () => {
    expect(() =>
      imageDatasetFromIdxBytes("mine", { trainImages: idx([2, 28, 28]), trainLabels: encodeIdx([2], new Uint8Array(2)), testImages: idx([2, 784]), testLabels: encodeIdx([2], new Uint8Array(2)) }),
    ).toThrow(/test images are \[784\] but train images are \[28 x 28\]/);
  });
});
