import { describe, expect, it } from "vitest";
import { collectResponses } from "./collect-responses.js";

describe("collectResponses", () => {
  it("collectResponses(count, batchSize, respond) joins the batches in order, the last one short", async () => {
    const calls: Array<[number, number]> = [];
    const r = await collectResponses(5, 2, async (s, e) => {
      calls.push([s, e]);
      return Array.from({ length: e - s }, (_, i) => [s + i, 10 * (s + i)]);
    });
    expect(calls).toEqual([[0, 2], [2, 4], [4, 5]]);
    expect(r.rows).toBe(5);
    expect(r.cols).toBe(2);
    expect(Array.from(r.data)).toEqual([0, 0, 1, 10, 2, 20, 3, 30, 4, 40]);
  });

  it("collectResponses rejects batches with the wrong number of rows or channels", async () => {
    await expect(collectResponses(3, 2, (s, e) => ({ data: new Float64Array(e - s + 1), rows: e - s + 1, cols: 1 }))).rejects.toThrow(
      "collectResponses: respond(0, 2) returned 3 rows; expected 2 (one per stimulus)",
    );
    await expect(collectResponses(3, 2, (s, e) => ({ data: new Float64Array((e - s) * (s + 1)), rows: e - s, cols: s + 1 }))).rejects.toThrow(
      "collectResponses: respond(2, 3) returned 3 channels; expected 1 like the first batch",
    );
    await expect(collectResponses(0, 2, () => [[1]])).rejects.toThrow("collectResponses: count must be an integer >= 1; got 0");
  });
});
