import { describe, expect, it } from "vitest";
import { parseAlignmentSeries, seriesUpTo, summariseAlignment, type AlignmentSample } from "./alignment-series.js";

/** Samples at updates k, 2k, ...: layer 0 raw = u / 100, corrected = u / 50; layer 1 raw = −u / 100, corrected null every third. */
function series(n: number, k = 1): AlignmentSample[] {
  return Array.from({ length: n }, (_, i) => {
    const u = (i + 1) * k;
    return { update: u, raw: [u / 100, -u / 100], corrected: [u / 50, i % 3 === 2 ? null : u / 200] };
  });
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("summariseAlignment", () => {
  it("summariseAlignment(samples, { window: 3, curveEvery: 2 }) reads the trailing mean of the last 3 updates at every second update and averages each epoch", () => {
    const s = series(8);
    const [l0, l1] = summariseAlignment(s, { layers: 2, window: 3, alignEvery: 1, curveEvery: 2, updatesPerEpoch: 4 });
    expect(l0!.curve.map((p) => p.update)).toEqual([2, 4, 6, 8]);
    expect(l0!.curve.map((p) => p.raw)).toEqual([mean([1, 2]) / 100, mean([2, 3, 4]) / 100, mean([4, 5, 6]) / 100, mean([6, 7, 8]) / 100].map((x) => expect.closeTo(x, 12)));
    expect(l0!.curve.at(-1)!.corrected).toBeCloseTo(mean([6, 7, 8]) / 50, 12);
    expect(l0!.epochMeans).toEqual([
      { epoch: 1, raw: expect.closeTo(0.025, 12), corrected: expect.closeTo(0.05, 12), count: 4 },
      { epoch: 2, raw: expect.closeTo(0.065, 12), corrected: expect.closeTo(0.13, 12), count: 4 },
    ]);
    // Null cosines (updates 3 and 6) are skipped: the window holds the last 3 finite values.
    expect(l1!.curve.at(-1)!.corrected).toBeCloseTo(mean([5, 7, 8]) / 200, 12);
    expect(l1!.epochMeans[0]).toEqual({ epoch: 1, raw: expect.closeTo(-0.025, 12), corrected: expect.closeTo(mean([1, 2, 4]) / 200, 12), count: 4 });
  });

  it("summariseAlignment with alignEvery 3 averages round(window / 3) samples and puts a point at the last sample before each multiple of curveEvery, and at the end", () => {
    const s = series(4, 3); // updates 3, 6, 9, 12
    const [l0] = summariseAlignment(s, { layers: 2, window: 6, alignEvery: 3, curveEvery: 5, updatesPerEpoch: 6 });
    expect(l0!.curve.map((p) => p.update)).toEqual([3, 9, 12]);
    expect(l0!.curve.map((p) => p.raw)).toEqual([0.03, mean([6, 9]) / 100, mean([9, 12]) / 100].map((x) => expect.closeTo(x, 12)));
    expect(l0!.epochMeans.map((m) => [m.epoch, m.count])).toEqual([[1, 2], [2, 2]]);
  });

  it("summariseAlignment gives null for a layer that never had a finite cosine, and nothing for an empty series", () => {
    const s: AlignmentSample[] = [1, 2].map((u) => ({ update: u, raw: [0.5, null], corrected: [0.6, null] }));
    const [, l1] = summariseAlignment(s, { layers: 2, window: 500, alignEvery: 1, curveEvery: 100, updatesPerEpoch: 10 });
    expect(l1).toEqual({ curve: [{ update: 2, raw: null, corrected: null }], epochMeans: [{ epoch: 1, raw: null, corrected: null, count: 0 }] });
    expect(summariseAlignment([], { layers: 2, window: 500, alignEvery: 1, curveEvery: 100, updatesPerEpoch: 10 })).toEqual([
      { curve: [], epochMeans: [] },
      { curve: [], epochMeans: [] },
    ]);
  });

  it("summariseAlignment rejects a sample with the wrong number of layers and updates that do not increase, naming the update", () => {
    const o = { layers: 2, window: 5, alignEvery: 1, curveEvery: 1, updatesPerEpoch: 5 };
    expect(() => summariseAlignment([{ update: 1, raw: [0.1], corrected: [0.1] }], o)).toThrow(/sample of update 1 has 1 raw and 1 corrected cosines; expected 2 layers/);
    expect(() => summariseAlignment([...series(2), { update: 2, raw: [0, 0], corrected: [0, 0] }], o)).toThrow(/updates must increase; update 2 follows 2/);
  });
});

describe("seriesUpTo / parseAlignmentSeries", () => {
  it("seriesUpTo(samples, update, k) keeps the samples up to the checkpoint's update when none is missing, and says why otherwise", () => {
    const s = series(6, 2); // 2, 4, ..., 12
    expect(seriesUpTo(s, 8, 2)).toEqual(s.slice(0, 4));
    expect(seriesUpTo(s, 9, 2)).toEqual(s.slice(0, 4));
    expect(seriesUpTo(s.slice(0, 3), 8, 2)).toBe("it holds 3 samples up to update 8; expected 4 (one every 2 updates)");
    expect(seriesUpTo([s[0]!, s[0]!, s[2]!, s[3]!], 8, 2)).toBe("sample 1 is of update 2; expected 4");
  });

  it("parseAlignmentSeries(text, layers) round-trips a series and names the first entry that does not fit", () => {
    const s = series(3);
    expect(parseAlignmentSeries(JSON.stringify(s), 2)).toEqual(s);
    expect(() => parseAlignmentSeries("{}", 2)).toThrow(/expected a JSON array of \{ update, raw, corrected \}; got object/);
    expect(() => parseAlignmentSeries(JSON.stringify([s[0], { ...s[1], raw: [0.5] }]), 2)).toThrow(/entry 1 must be \{ update: an integer >= 1, raw and corrected: 2 cosines/);
    expect(() => parseAlignmentSeries(JSON.stringify([{ ...s[0], corrected: [1.5, 0] }]), 2)).toThrow(/entry 0 must be/);
    expect(() => parseAlignmentSeries("[", 2)).toThrow(SyntaxError);
  });
});
