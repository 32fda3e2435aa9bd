import { describe, expect, it } from "vitest";
import { DATASET_NAMES, DATASET_PIXEL_MEANS, isDatasetName } from "./dataset-pixel-means.js";

describe("DATASET_PIXEL_MEANS", () => {
  it("DATASET_PIXEL_MEANS holds MNIST 0.1307, K-MNIST 0.1918 and Fashion-MNIST 0.2860, one per DATASET_NAMES entry, frozen", () => {
    expect(DATASET_PIXEL_MEANS).toEqual({ mnist: 0.1307, kmnist: 0.1918, fashion: 0.286 });
    expect([...DATASET_NAMES].sort()).toEqual(Object.keys(DATASET_PIXEL_MEANS).sort());
    expect(Object.isFrozen(DATASET_PIXEL_MEANS)).toBe(true);
    expect(Object.isFrozen(DATASET_NAMES)).toBe(true);
  });

  it("isDatasetName(name) accepts exactly mnist, fashion and kmnist", () => {
    for (const n of ["mnist", "fashion", "kmnist"]) expect(isDatasetName(n)).toBe(true);
    for (const n of ["MNIST", "fashion-mnist", "cifar10", "", undefined, 3]) expect(isDatasetName(n)).toBe(false);
  });
});
