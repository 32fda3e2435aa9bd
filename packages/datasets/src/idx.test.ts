import { describe, expect, it } from "vitest";
import { encodeIdx, parseIdx } from "./idx.js";
import { imageDatasetFromIdxBytes } from "./image-dataset.js";

describe("parseIdx", () => {
  it("parseIdx(encodeIdx(shape, data)) round-trips shape and bytes", () => {
    const data = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i);
    const parsed = parseIdx(encodeIdx([2, 3, 4], data));
    expect(parsed.shape).toEqual([2, 3, 4]);
    expect(Array.from(parsed.data)).toEqual(Array.from(data));
  });

  it("parseIdx rejects a wrong magic number, an unsupported type, a truncated header and a truncated body, naming the source", () => {
    const good = encodeIdx([4], new Uint8Array([1, 2, 3, 4]));
    const badMagic = good.slice();
    badMagic[0] = 0x12;
    expect(() => parseIdx(badMagic, "labels.idx")).toThrow(/labels.idx: bad IDX magic number 0x12000801/);
    const badType = good.slice();
    badType[2] = 0x0d;
    expect(() => parseIdx(badType, "f")).toThrow(/f: unsupported IDX element type 0x0d; expected 0x08/);
    expect(() => parseIdx(good.subarray(0, 6), "f")).toThrow(/truncated IDX header: 6 bytes, expected 8/);
    expect(() => parseIdx(good.subarray(0, 10), "f")).toThrow(/IDX data length 2 does not match shape \[4\] \(expected 4 bytes: file truncated\)/);
  });

  it("imageDatasetFromIdxBytes scales pixels to [0, 1] and rejects mismatched image / label counts", () => {
    const img = encodeIdx([2, 2, 2], new Uint8Array([0, 255, 51, 102, 0, 0, 0, 255]));
    const lab = encodeIdx([2], new Uint8Array([3, 9]));
    const ds = imageDatasetFromIdxBytes("tiny", { trainImages: img, trainLabels: lab, testImages: img, testLabels: lab });
    expect(ds.train.count).toBe(2);
    expect(ds.train.features).toBe(4);
    expect(Array.from(ds.train.images.subarray(0, 4))).toEqual([0, 1, 0.2, 0.4].map((v) => Math.fround(v)));
    const lab3 = encodeIdx([3], new Uint8Array([1, 2, 3]));
    expect(() => imageDatasetFromIdxBytes("tiny", { trainImages: img, trainLabels: lab3, testImages: img, testLabels: lab })).toThrow(
      /train images has 2 images but train labels has 3 labels; expected equal counts/,
    );
  });
});
