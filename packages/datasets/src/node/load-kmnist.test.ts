import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { encodeIdx } from "../idx.js";
import { loadKmnist } from "./load-kmnist.js";

describe("loadKmnist", () => {
  it("loadKmnist(dir) reads K-MNIST-format IDX files a test generates and names the dataset kmnist", () => {
    const dir = mkdtempSync(join(tmpdir(), "kmnist-"));
    writeFileSync(join(dir, "train-images-idx3-ubyte.gz"), gzipSync(encodeIdx([3, 2, 2], new Uint8Array(12).fill(51))));
    writeFileSync(join(dir, "train-labels-idx1-ubyte.gz"), gzipSync(encodeIdx([3], new Uint8Array([8, 1, 2]))));
    writeFileSync(join(dir, "t10k-images-idx3-ubyte.gz"), gzipSync(encodeIdx([1, 2, 2], new Uint8Array(4))));
    writeFileSync(join(dir, "t10k-labels-idx1-ubyte.gz"), gzipSync(encodeIdx([1], new Uint8Array([4]))));
    const ds = loadKmnist(dir);
    expect(ds.name).toBe("kmnist");
    expect(ds.train.count).toBe(3);
    expect(ds.train.images[0]).toBe(Math.fround(0.2));
    expect(ds.test.labels[0]).toBe(4);
  });

  it("loadKmnist() without a folder explains that K-MNIST cannot be downloaded here and what the folder must hold", () => {
    expect(() => loadKmnist(undefined as never)).toThrow(
      /^K-MNIST: no folder given \(got undefined\); K-MNIST cannot be downloaded here: .* pass the folder holding train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte/,
    );
    expect(() => loadKmnist("")).toThrow(/K-MNIST: no folder given \(got ""\)/);
  });

  it("loadKmnist(missing folder) names the folder; a malformed file is named", () => {
    expect(() => loadKmnist("/nonexistent/kmnist")).toThrow(/^K-MNIST: folder not found: \/nonexistent\/kmnist; expected a folder holding train-images-idx3-ubyte/);
    const dir = mkdtempSync(join(tmpdir(), "kmnist-"));
    writeFileSync(join(dir, "train-images-idx3-ubyte"), new Uint8Array([9, 9, 9, 9]));
    for (const f of ["train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]) writeFileSync(join(dir, f), encodeIdx([1], new Uint8Array(1)));
    expect(() => loadKmnist(dir)).toThrow(`${join(dir, "train-images-idx3-ubyte")}: bad IDX magic number 0x09090909`);
  });
});
