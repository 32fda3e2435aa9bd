import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { firstStepSequence } from "../first-step-sequence.js";
import { iterateBatches } from "../iterate-batches.js";
import { encodeNpy } from "../npy.js";
import { fullView } from "../split-view.js";
import { loadSequenceDataset } from "./load-sequence-dataset.js";

/** An int64 label file built by hand, as np.save(path, np.array(labels)) writes it (version 1.0, 64-byte aligned). */
function int64LabelsNpy(labels: number[]): Uint8Array {
  const header = `{'descr': '<i8', 'fortran_order': False, 'shape': (${labels.length},), }`.padEnd(117, " ") + "\n";
  const out = new Uint8Array(128 + 8 * labels.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 118, 0]);
  out.set(new TextEncoder().encode(header), 10);
  const view = new DataView(out.buffer);
  labels.forEach((v, i) => view.setBigInt64(128 + 8 * i, BigInt(v), true));
  return out;
}

function folder(files: Record<string, Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), "seq-"));
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  return dir;
}

/** [count, steps, features] with value = 100 * example + 10 * step + feature. */
function sequences(count: number, steps: number, features: number): Float32Array {
  return Float32Array.from({ length: count * steps * features }, (_, i) => {
    const e = Math.floor(i / (steps * features));
    const s = Math.floor((i % (steps * features)) / features);
    return 100 * e + 10 * s + (i % features);
  });
}

describe("loadSequenceDataset", () => {
  it("loadSequenceDataset({ inputs, labels }, dir) takes steps and features from the shape [count, steps, features]", () => {
    const x = sequences(4, 3, 2);
    const dir = folder({ "x.npy": encodeNpy([4, 3, 2], x), "y.npy": int64LabelsNpy([1, 0, 2, 1]) });
    const split = loadSequenceDataset({ inputs: "x.npy", labels: "y.npy" }, dir);
    expect(split).toMatchObject({ count: 4, steps: 3, stepFeatures: 2, features: 6, numClasses: 3 });
    expect(split.images).toEqual(x);
    expect(split.labels).toEqual(new Uint8Array([1, 0, 2, 1]));
    const batch = iterateBatches(fullView(split), { batchSize: 2, shuffle: false }).next().value!;
    expect(Array.from(batch.x.subarray(6, 12))).toEqual([100, 101, 110, 111, 120, 121]);
    expect(loadSequenceDataset({ inputs: "x.npy", labels: "y.npy" }, dir, { numClasses: 10 }).numClasses).toBe(10);
  });

  it("loadSequenceDataset converts float64 / uint8 inputs to float32 unscaled and reads targets [count, ...] as targetSize = product of trailing dims", () => {
    const dir = folder({
      "x64.npy": encodeNpy([2, 2, 1], new Float64Array([0.5, 1, 1.5, 2])),
      "xu8.npy": encodeNpy([2, 4], new Uint8Array([0, 255, 3, 4, 5, 6, 7, 8])),
      "t.npy": encodeNpy([2, 2, 1], new Float32Array([9, 8, 7, 6])),
      "y32.npy": encodeNpy([2], new Int32Array([0, 1])),
    });
    const reg = loadSequenceDataset({ inputs: "x64.npy", targets: "t.npy" }, dir);
    expect(reg).toMatchObject({ count: 2, steps: 2, stepFeatures: 1, numClasses: 0, targetSize: 2 });
    expect(reg.images).toEqual(new Float32Array([0.5, 1, 1.5, 2]));
    expect(reg.targets).toEqual(new Float32Array([9, 8, 7, 6]));
    // rank 2 inputs: one step per example (an image split), then presented once as in App. 6.2.4
    const images = loadSequenceDataset({ inputs: join(dir, "xu8.npy"), labels: "y32.npy" }, dir);
    expect(images).toMatchObject({ count: 2, steps: 1, stepFeatures: 4, features: 4, numClasses: 2 });
    expect(images.images[1]).toBe(255);
    const seq = firstStepSequence(images, 5);
    expect(seq).toMatchObject({ steps: 5, stepFeatures: 4, features: 20 });
  });

  it("loadSequenceDataset(labels count != inputs count) names both files (shape mismatch)", () => {
    const dir = folder({ "x.npy": encodeNpy([4, 3, 2], sequences(4, 3, 2)), "y.npy": int64LabelsNpy([1, 0, 2]), "t.npy": encodeNpy([3, 1], new Float32Array(3)) });
    expect(() => loadSequenceDataset({ inputs: "x.npy", labels: "y.npy" }, dir)).toThrow(
      `${join(dir, "x.npy")} has 4 examples (shape [4, 3, 2]) but ${join(dir, "y.npy")} has 3 labels; expected equal counts`,
    );
    expect(() => loadSequenceDataset({ inputs: "x.npy", targets: "t.npy" }, dir)).toThrow(
      `${join(dir, "x.npy")} has 4 examples (shape [4, 3, 2]) but ${join(dir, "t.npy")} has shape [3, 1]; expected [4, ...]`,
    );
  });

  it("loadSequenceDataset rejects inputs not of rank 2 or 3, labels not of rank 1, and names files in value errors", () => {
    const bad = sequences(2, 1, 2);
    bad[3] = Number.NaN;
    const dir = folder({
      "x1.npy": encodeNpy([4], new Float32Array(4)),
      "x.npy": encodeNpy([2, 1, 2], sequences(2, 1, 2)),
      "xnan.npy": encodeNpy([2, 1, 2], bad),
      "y2.npy": encodeNpy([2, 1], new Uint8Array([0, 1])),
      "y.npy": encodeNpy([2], new Uint8Array([0, 7])),
    });
    expect(() => loadSequenceDataset({ inputs: "x1.npy", labels: "y.npy" }, dir)).toThrow(
      `${join(dir, "x1.npy")}: inputs of shape [4]; expected [count, steps, features] (or [count, features] for one step)`,
    );
    expect(() => loadSequenceDataset({ inputs: "x.npy", labels: "y2.npy" }, dir)).toThrow(`${join(dir, "y2.npy")}: labels of shape [2, 1]; expected [count] (in Python: y.reshape(-1))`);
    expect(() => loadSequenceDataset({ inputs: "xnan.npy", labels: "y.npy" }, dir)).toThrow(
      `loadSequenceDataset: ${join(dir, "xnan.npy")} value NaN at index 3 (example 1, step 0, feature 1) is not finite`,
    );
    expect(() => loadSequenceDataset({ inputs: "x.npy", labels: "y.npy" }, dir, { numClasses: 5 })).toThrow(
      `loadSequenceDataset: ${join(dir, "y.npy")} value 7 at index 1 is outside [0, 5) (numClasses 5)`,
    );
  });

  it("loadSequenceDataset without labels or targets, or with a missing file, says what is needed", () => {
    const dir = folder({ "x.npy": encodeNpy([1, 1, 1], new Float32Array(1)) });
    expect(() => loadSequenceDataset({ inputs: "x.npy" }, dir)).toThrow(
      "loadSequenceDataset: give files.labels ([count] class labels) and/or files.targets ([count, ...] values) with x.npy",
    );
    expect(() => loadSequenceDataset({ inputs: "x.npy", labels: "nope.npy" }, dir)).toThrow(`${join(dir, "nope.npy")}: file not found; expected a .npy file written by np.save`);
    expect(() => loadSequenceDataset({} as never, dir)).toThrow("loadSequenceDataset: files.inputs must name a .npy file of shape [count, steps, features]; got undefined");
  });
});
