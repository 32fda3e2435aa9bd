import { encodeIdx } from "@dale-nn/datasets";
import { describe, expect, it } from "vitest";
import { decodeMnistSubset } from "./mnist-subset.js";

function pack(sections: Uint8Array[]): Uint8Array {
  const header = 8 + 4 * sections.length;
  const out = new Uint8Array(header + sections.reduce((a, s) => a + s.length, 0));
  const view = new DataView(out.buffer);
  out.set([0x44, 0x4d, 0x53, 0x31]);
  view.setUint32(4, sections.length, true);
  let offset = header;
  sections.forEach((s, i) => {
    view.setUint32(8 + 4 * i, s.length, true);
    out.set(s, offset);
    offset += s.length;
  });
  return out;
}

describe("decodeMnistSubset", () => {
  const trainImages = encodeIdx([3, 2, 2], Uint8Array.from([0, 255, 51, 0, 1, 2, 3, 4, 255, 255, 255, 255]));
  const trainLabels = encodeIdx([3], Uint8Array.from([7, 0, 9]));
  const testImages = encodeIdx([1, 2, 2], Uint8Array.from([0, 0, 0, 255]));
  const testLabels = encodeIdx([1], Uint8Array.from([3]));

  it("decodeMnistSubset(bytes) returns both splits with pixels / 255", () => {
    const { train, test } = decodeMnistSubset(pack([trainImages, trainLabels, testImages, testLabels]));
    expect(train.count).toBe(3);
    expect(train.features).toBe(4);
    expect(Array.from(train.labels)).toEqual([7, 0, 9]);
    expect(train.images[1]).toBe(1);
    expect(train.images[2]).toBeCloseTo(0.2);
    expect(test.count).toBe(1);
    expect(Array.from(test.labels)).toEqual([3]);
  });

  it("decodeMnistSubset rejects a bad magic number, a wrong section count and a truncated file", () => {
    expect(() => decodeMnistSubset(new Uint8Array(16), "x.bin")).toThrow(/x.bin: not an MNIST subset file/);
    expect(() => decodeMnistSubset(pack([trainImages, trainLabels]))).toThrow(/expected 4 sections.*got 2/);
    const full = pack([trainImages, trainLabels, testImages, testLabels]);
    expect(() => decodeMnistSubset(full.subarray(0, full.length - 3))).toThrow(/section 3 runs past the end/);
  });
});
