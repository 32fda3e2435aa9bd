import { describe, expect, it } from "vitest";
import { languageModelBatchCount, languageModelBatches } from "./language-model-batches.js";

const range = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

describe("languageModelBatches", () => {
  it("languageModelBatches(0..12, { batchSize: 2, bptt: 2 }) cuts 2 streams of 6, drops id 12 and the short last window", () => {
    // streams: [0 1 2 3 4 5] and [6 7 8 9 10 11]; windows need t + 1, so 2 full windows of 2 steps
    const windows = [...languageModelBatches(range(13), { batchSize: 2, bptt: 2 })];
    expect(windows.map((w) => w.batch)).toEqual([0, 1]);
    expect(Array.from(windows[0]!.inputs)).toEqual([0, 1, 6, 7]);
    expect(Array.from(windows[0]!.targets)).toEqual([1, 2, 7, 8]);
    expect(Array.from(windows[1]!.inputs)).toEqual([2, 3, 8, 9]);
    expect(Array.from(windows[1]!.targets)).toEqual([3, 4, 9, 10]);
  });

  it("languageModelBatches: row s of window w + 1 continues row s of window w (hidden state can be carried)", () => {
    const ids = Int32Array.from({ length: 3 * 31 }, (_, i) => (i * 7) % 50); // 3 streams of 31
    const windows = [...languageModelBatches(ids, { batchSize: 3, bptt: 4 })];
    expect(windows.length).toBe(7); // floor(30 / 4)
    for (let s = 0; s < 3; s++) {
      const row = windows.flatMap((w) => Array.from(w.inputs.subarray(s * 4, s * 4 + 4)));
      expect(row).toEqual(Array.from(ids.subarray(s * 31, s * 31 + 28)));
      const next = windows.flatMap((w) => Array.from(w.targets.subarray(s * 4, s * 4 + 4)));
      expect(next).toEqual(Array.from(ids.subarray(s * 31 + 1, s * 31 + 29)));
    }
    expect(windows[0]!.inputs).not.toBe(windows[1]!.inputs); // fresh arrays per window
  });

  it("languageModelBatchCount gives the window count; Penn Treebank train at batch 64, BPTT 50 has 290", () => {
    expect(languageModelBatchCount(13, { batchSize: 2, bptt: 2 })).toBe(2);
    expect(languageModelBatchCount(929_589, { batchSize: 64, bptt: 50 })).toBe(290);
    expect(languageModelBatchCount(5, { batchSize: 2, bptt: 2 })).toBe(0);
    expect(languageModelBatchCount(0, { batchSize: 2, bptt: 2 })).toBe(0);
  });

  it("languageModelBatches rejects a corpus too short for one window, bad sizes and bad ids", () => {
    expect(() => languageModelBatches(range(5), { batchSize: 2, bptt: 2 })).toThrow(
      "languageModelBatches: 5 ids give 2 streams of 2 tokens; one window needs bptt + 1 = 3 tokens per stream (at least 6 ids)",
    );
    expect(() => languageModelBatches(range(10), { batchSize: 0, bptt: 2 })).toThrow("languageModelBatches: batchSize must be an integer >= 1; got 0");
    expect(() => languageModelBatches(range(10), { batchSize: 2, bptt: 1.5 })).toThrow("languageModelBatches: bptt must be an integer >= 1; got 1.5");
    expect(() => languageModelBatches([0, 1, -2, 3, 4, 5], { batchSize: 2, bptt: 1 })).toThrow("languageModelBatches: id -2 at index 2 is not an integer >= 0");
    expect(() => languageModelBatches("abc" as never, { batchSize: 1, bptt: 1 })).toThrow('languageModelBatches: ids must be an array of word ids (e.g. an Int32Array); got "abc"');
  });
});
