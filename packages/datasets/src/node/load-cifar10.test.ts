import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cifarTestByte, cifarTestBytes } from "../internal/test-fixtures.js";
import { loadCifar10 } from "./load-cifar10.js";

const FILES = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"];

/** Writes six small CIFAR-10 files (batch i holds records labelled i and i + 1; the test file holds 7). */
function writeCifarFolder(dir: string, skip?: string): void {
  FILES.forEach((name, i) => {
    if (name === skip) return;
    const labels = name === "test_batch.bin" ? [7] : [i, i + 1];
    writeFileSync(join(dir, name), cifarTestBytes(labels, name === "test_batch.bin" ? 100 : 2 * i));
  });
}

describe("loadCifar10", () => {
  it("loadCifar10(dir) reads data_batch_1..5.bin into train and test_batch.bin into test, NHWC with shape [32, 32, 3]", () => {
    const dir = mkdtempSync(join(tmpdir(), "cifar10-"));
    writeCifarFolder(dir);
    const ds = loadCifar10(dir);
    expect(ds.name).toBe("cifar10");
    expect(ds.train.count).toBe(10);
    expect(Array.from(ds.train.labels)).toEqual([0, 1, 1, 2, 2, 3, 3, 4, 4, 5]);
    expect(ds.test.count).toBe(1);
    expect(ds.test.labels[0]).toBe(7);
    expect(ds.train.shape).toEqual([32, 32, 3]);
    expect(ds.test.shape).toEqual([32, 32, 3]);
    // Record 9 (batch 5, second record), pixel (y 2, x 3), blue channel.
    expect(ds.train.images[9 * 3072 + (2 * 32 + 3) * 3 + 2]).toBe(Math.fround(cifarTestByte(9, 2, 2 * 32 + 3) / 255));
    expect(ds.test.images[1]).toBe(Math.fround(cifarTestByte(100, 1, 0) / 255));
    rmSync(dir, { recursive: true });
  });

  it("loadCifar10(dir) also finds the files in dir/cifar-10-batches-bin (the unpacked archive)", () => {
    const dir = mkdtempSync(join(tmpdir(), "cifar10-"));
    mkdirSync(join(dir, "cifar-10-batches-bin"));
    writeCifarFolder(join(dir, "cifar-10-batches-bin"));
    expect(loadCifar10(dir).train.count).toBe(10);
    rmSync(dir, { recursive: true });
  });

  it("loadCifar10 with a missing file names the file and what the folder must hold", () => {
    const dir = mkdtempSync(join(tmpdir(), "cifar10-"));
    writeCifarFolder(dir, "data_batch_4.bin");
    expect(() => loadCifar10(dir)).toThrow(
      `CIFAR-10: ${join(dir, "data_batch_4.bin")}: file not found; expected ${dir} to hold data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin and test_batch.bin (the CIFAR-10 binary version`,
    );
    rmSync(dir, { recursive: true });
  });

  it("loadCifar10 with a truncated file or a bad label names the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "cifar10-"));
    writeCifarFolder(dir);
    writeFileSync(join(dir, "data_batch_2.bin"), cifarTestBytes([1, 2]).subarray(0, 3073 + 100));
    expect(() => loadCifar10(dir)).toThrow(`${join(dir, "data_batch_2.bin")}: size 3173 bytes is not a positive multiple of the CIFAR-10 record size 3073 (remainder 100)`);
    writeCifarFolder(dir);
    writeFileSync(join(dir, "test_batch.bin"), cifarTestBytes([4, 200]));
    expect(() => loadCifar10(dir)).toThrow(`${join(dir, "test_batch.bin")}: record 1 has label byte 200; expected a CIFAR-10 class in [0, 9]`);
    rmSync(dir, { recursive: true });
  });

  it("loadCifar10() without a folder, or with a missing one, says CIFAR-10 cannot be downloaded here and what the folder must hold", () => {
    expect(() => loadCifar10(undefined as never)).toThrow(/^CIFAR-10: no folder given \(got undefined\); CIFAR-10 cannot be downloaded here: .* data_batch_1.bin, .* and test_batch.bin/);
    expect(() => loadCifar10("")).toThrow(/no folder given \(got ""\)/);
    expect(() => loadCifar10("/nonexistent/cifar")).toThrow(/^CIFAR-10: folder not found: \/nonexistent\/cifar; expected a folder holding data_batch_1.bin/);
  });
});
