import { describe, expect, it } from "vitest";
import { CIFAR10_CLASS_NAMES, CIFAR10_RECORD_BYTES, CIFAR10_SHAPE, parseCifar10 } from "./cifar10.js";
import { cifarTestByte, cifarTestBytes } from "./internal/test-fixtures.js";

describe("parseCifar10", () => {
  it("parseCifar10([{ bytes, source }]) moves channel-first R, G, B planes into NHWC slots, scaled by 1/255", () => {
    const split = parseCifar10([{ bytes: cifarTestBytes([3, 9]), source: "a.bin" }]);
    expect(split.count).toBe(2);
    expect(split.features).toBe(3072);
    expect(split.shape).toEqual([32, 32, 3]);
    expect(split.numClasses).toBe(10);
    expect(Array.from(split.labels)).toEqual([3, 9]);
    for (const r of [0, 1]) {
      for (const [y, x] of [[0, 0], [0, 1], [1, 0], [17, 5], [31, 31]] as const) {
        const p = y * 32 + x;
        for (let c = 0; c < 3; c++) {
          expect(split.images[r * 3072 + (y * 32 + x) * 3 + c]).toBe(Math.fround(cifarTestByte(r, c, p) / 255));
        }
      }
    }
  });

  it("parseCifar10 puts a pure red, green and blue image's values in channels 0, 1 and 2", () => {
    const bytes = new Uint8Array(3 * CIFAR10_RECORD_BYTES);
    for (let c = 0; c < 3; c++) bytes.fill(255, c * CIFAR10_RECORD_BYTES + 1 + c * 1024, c * CIFAR10_RECORD_BYTES + 1 + (c + 1) * 1024);
    const { images } = parseCifar10([{ bytes, source: "rgb.bin" }]);
    for (let r = 0; r < 3; r++) {
      for (let p = 0; p < 1024; p += 97) for (let c = 0; c < 3; c++) expect(images[r * 3072 + p * 3 + c]).toBe(c === r ? 1 : 0);
    }
  });

  it("parseCifar10(files) concatenates files in order into one split", () => {
    const split = parseCifar10([
      { bytes: cifarTestBytes([1, 2]), source: "data_batch_1.bin" },
      { bytes: cifarTestBytes([0], 2), source: "data_batch_2.bin" },
    ]);
    expect(split.count).toBe(3);
    expect(Array.from(split.labels)).toEqual([1, 2, 0]);
    expect(split.images[2 * 3072 + 5 * 3 + 1]).toBe(Math.fround(cifarTestByte(2, 1, 5) / 255));
  });

  it("parseCifar10 rejects a size that is not a multiple of 3,073 bytes, naming the file, the size and the remainder", () => {
    const bytes = new Uint8Array(2 * 3073 + 10);
    expect(() => parseCifar10([{ bytes, source: "/data/data_batch_3.bin" }])).toThrow(
      "/data/data_batch_3.bin: size 6156 bytes is not a positive multiple of the CIFAR-10 record size 3073 (remainder 10)",
    );
    expect(() => parseCifar10([{ bytes: new Uint8Array(0), source: "empty.bin" }])).toThrow(/^empty.bin: size 0 bytes .* \(remainder 0\)/);
  });

  it("parseCifar10 rejects a label byte above 9, naming the file, the record index and the value", () => {
    const bytes = cifarTestBytes([0, 1, 10]);
    expect(() => parseCifar10([{ bytes, source: "test_batch.bin" }])).toThrow("test_batch.bin: record 2 has label byte 10; expected a CIFAR-10 class in [0, 9]");
  });

  it("parseCifar10([]) and parseCifar10 with non-byte data say what was expected", () => {
    expect(() => parseCifar10([])).toThrow(/expected a non-empty array of \{ bytes, source \} files; got \[\]/);
    expect(() => parseCifar10([{ bytes: [1, 2] as unknown as Uint8Array, source: "x.bin" }])).toThrow(/files\[0\] \(x.bin\) must have bytes as a Uint8Array; got object/);
  });

  it("CIFAR10_SHAPE, CIFAR10_CLASS_NAMES: 32 x 32 x 3, cat is 3 and dog is 5", () => {
    expect(CIFAR10_SHAPE).toEqual([32, 32, 3]);
    expect(CIFAR10_CLASS_NAMES.length).toBe(10);
    expect(CIFAR10_CLASS_NAMES[3]).toBe("cat");
    expect(CIFAR10_CLASS_NAMES[5]).toBe("dog");
  });
});
