import { describe, expect, it } from "vitest";
import { centreResponses } from "./centre-responses.js";

/** map[n, h, w, c] = step * 1000 + n * 100 + h * 10 + w + c / 10. */
function map(step: number, n = 2, h = 5, w = 4, c = 3): Float32Array {
  const out = new Float32Array(n * h * w * c);
  for (let i = 0; i < n; i++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let j = 0; j < c; j++) {
    out[((i * h + y) * w + x) * c + j] = step * 1000 + i * 100 + y * 10 + x + j / 10;
  }
  return out;
}

describe("centreResponses", () => {
  it("centreResponses({ data, shape: [N, H, W, C] }) reads the unit at (⌊H/2⌋, ⌊W/2⌋) of every channel", () => {
    const r = centreResponses({ data: map(0), shape: [2, 5, 4, 3] });
    expect(r.rows).toBe(2);
    expect(r.cols).toBe(3);
    // centre (2, 2): 0 * 100 + 22 + j/10 and 122 + j/10
    expect(Array.from(r.data)).toEqual([22, 22.1, 22.2, 122, 122.1, 122.2].map((v) => Math.fround(v)));
  });

  it("centreResponses([step maps]) averages the centre unit over time steps, and so does [T, N, H, W, C]", () => {
    const steps = [0, 1, 2, 3].map((t) => ({ data: map(t), shape: [2, 5, 4, 3] }));
    const r = centreResponses(steps);
    // mean over t of (1000 t + 22 + j/10), each value stored in float32
    for (let j = 0; j < 3; j++) {
      const mean = [0, 1, 2, 3].reduce((a, t) => a + Math.fround(1000 * t + 22 + j / 10), 0) / 4;
      expect(r.data[j]).toBe(mean);
    }
    const stacked = new Float32Array(4 * map(0).length);
    steps.forEach((s, t) => stacked.set(s.data, t * s.data.length));
    const r5 = centreResponses({ data: stacked, shape: [4, 2, 5, 4, 3] });
    expect(Array.from(r5.data)).toEqual(Array.from(r.data));
    const tensorLike = { shape: [4, 2, 5, 4, 3], dataSync: () => stacked };
    expect(Array.from(centreResponses(tensorLike).data)).toEqual(Array.from(r.data));
  });

  it("centreResponses(maps, { centre: [row, col] }) reads another unit", () => {
    const r = centreResponses({ data: map(0), shape: [2, 5, 4, 3] }, { centre: [4, 0] });
    expect(r.data[0]).toBe(40);
  });

  it("centreResponses rejects an empty list, maps of different shapes, a wrong rank and a centre outside the map", () => {
    expect(() => centreResponses([])).toThrow("centreResponses: the list of per-step maps is empty");
    expect(() => centreResponses([{ data: map(0), shape: [2, 5, 4, 3] }, { data: map(0, 1, 5, 4, 6), shape: [1, 5, 4, 6] }])).toThrow(
      "centreResponses: maps[1] has shape [1, 5, 4, 6]; expected [2, 5, 4, 3] like maps[0]",
    );
    expect(() => centreResponses({ data: new Float32Array(6), shape: [2, 3] })).toThrow("centreResponses: maps must be 4-D or 5-D; got shape [2, 3]");
    expect(() => centreResponses({ data: map(0), shape: [2, 5, 4, 3] }, { centre: [5, 0] })).toThrow("centreResponses: centre[0] (row) must be an integer in [0, 4]; got 5");
    expect(() => centreResponses({ data: new Float32Array(5), shape: [1, 1, 2, 3] })).toThrow("centreResponses: maps has 5 values; shape [1, 1, 2, 3] needs 6");
    const bad = map(0);
    bad[((1 * 5 + 2) * 4 + 2) * 3 + 1] = Number.NaN;
    expect(() => centreResponses([{ data: map(0), shape: [2, 5, 4, 3] }, { data: bad, shape: [2, 5, 4, 3] }])).toThrow(
      "centreResponses: step 1, image 1, channel 1 has NaN at the centre (2, 2); expected a finite number",
    );
  });
});
