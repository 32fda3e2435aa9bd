import { describe, expect, it } from "vitest";
import { syntheticSplit } from "./internal/test-fixtures.js";
import { batchCount, epochOrder, iterateBatches, type Batch } from "./iterate-batches.js";
import { fullView, subsetView } from "./split-view.js";
import { trainValidationSplit } from "./train-validation-split.js";

/** Copies what a consumer would read from each batch before advancing. */
function collect(batches: Iterable<Batch>, features: number): Array<{ rows: number[]; x: number[]; labels: number[]; size: number }> {
  const out = [];
  for (const b of batches) {
    out.push({ rows: Array.from(b.indices), x: Array.from(b.x.subarray(0, b.size * features)), labels: Array.from(b.labels.subarray(0, b.size)), size: b.size });
  }
  return out;
}

describe("iterateBatches / batchCount / epochOrder", () => {
  const split = syntheticSplit(103, 4);
  const view = fullView(split);

  it("iterateBatches(view, { batchSize, seed, epoch }) visits every row exactly once per epoch and gathers its pixels and label", () => {
    const batches = collect(iterateBatches(view, { batchSize: 10, seed: 1, epoch: 0 }), 4);
    expect(batches.length).toBe(11);
    expect(batches.map((b) => b.size)).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3]);
    const rows = batches.flatMap((b) => b.rows);
    expect([...rows].sort((a, b) => a - b)).toEqual(Array.from({ length: 103 }, (_, i) => i));
    for (const b of batches) {
      b.rows.forEach((r, j) => {
        expect(b.x.slice(j * 4, j * 4 + 4)).toEqual([r, r + 0.125, r + 0.25, r + 0.375]);
        expect(b.labels[j]).toBe(r % 10);
      });
    }
  });

  it("iterateBatches orders differ between epochs and are reproducible for (seed, epoch)", () => {
    const order = (seed: number, epoch: number) => collect(iterateBatches(view, { batchSize: 16, seed, epoch }), 4).flatMap((b) => b.rows);
    expect(order(5, 0)).toEqual(order(5, 0));
    expect(order(5, 1)).toEqual(order(5, 1));
    expect(order(5, 0)).not.toEqual(order(5, 1));
    expect(order(5, 0)).not.toEqual(order(6, 0));
    expect(order(5, 0)).not.toEqual(Array.from({ length: 103 }, (_, i) => i));
    expect(Array.from(epochOrder(view, { seed: 5, epoch: 1 }))).toEqual(order(5, 1));
  });

  it("iterateBatches reuses one x buffer and one labels buffer across batches (same object identity)", () => {
    const it = iterateBatches(view, { batchSize: 8, seed: 0 });
    const first = it.next().value as Batch;
    const firstRow0 = first.indices[0];
    const x0 = first.x;
    const labels0 = first.labels;
    expect(x0.length).toBe(8 * 4);
    expect(labels0).toBeInstanceOf(Int32Array);
    const second = it.next().value as Batch;
    expect(second.x).toBe(x0);
    expect(second.labels).toBe(labels0);
    expect(second.batch).toBe(1);
    // The first batch's contents are gone: the buffer now holds the second batch.
    expect(x0[0]).toBe(second.indices[0]);
    expect(x0[0]).not.toBe(firstRow0);
    for (const b of it) expect(b.x).toBe(x0);
  });

  it("iterateBatches pads a last partial batch with zero pixels and label -1, or drops it with dropRemainder", () => {
    const batches = [...iterateBatches(view, { batchSize: 10, shuffle: false })].map((b) => ({ size: b.size, x: Array.from(b.x), labels: Array.from(b.labels) }));
    const last = batches[10]!;
    expect(last.size).toBe(3);
    expect(last.x.slice(0, 12)).toEqual([100, 100.125, 100.25, 100.375, 101, 101.125, 101.25, 101.375, 102, 102.125, 102.25, 102.375]);
    expect(last.x.slice(12).every((v) => v === 0)).toBe(true);
    expect(last.labels).toEqual([0, 1, 2, -1, -1, -1, -1, -1, -1, -1]);
    const dropped = collect(iterateBatches(view, { batchSize: 10, seed: 2, dropRemainder: true }), 4);
    expect(dropped.length).toBe(10);
    expect(dropped.every((b) => b.size === 10)).toBe(true);
    expect(collect(iterateBatches(view, { batchSize: 200, seed: 2, dropRemainder: true }), 4)).toEqual([]);
    expect(collect(iterateBatches(view, { batchSize: 200, seed: 2 }), 4).map((b) => b.size)).toEqual([103]);
  });

  it("iterateBatches(view, { shuffle: false }) follows the view's own order and needs no seed", () => {
    const { validation } = trainValidationSplit(split, { validationSize: 20, seed: 4 });
    const rows = collect(iterateBatches(validation, { batchSize: 6, shuffle: false }), 4).flatMap((b) => b.rows);
    expect(rows).toEqual(Array.from(validation.indices));
    const sub = subsetView(validation, 7);
    const shuffled = collect(iterateBatches(sub, { batchSize: 3, seed: 9 }), 4).flatMap((b) => b.rows);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(Array.from(sub.indices));
    expect(collect(iterateBatches(subsetView(view, 0), { batchSize: 3, seed: 0 }), 4)).toEqual([]);
  });

  it("batchCount(view, batchSize, dropRemainder) is ceil or floor of count / batchSize and matches iterateBatches", () => {
    expect(batchCount(view, 10)).toBe(11);
    expect(batchCount(view, 10, true)).toBe(10);
    expect(batchCount(view, 103)).toBe(1);
    expect(batchCount(view, 1000)).toBe(1);
    expect(batchCount(view, 1000, true)).toBe(0);
    expect(batchCount({ count: 60_000 }, 32)).toBe(1875);
    for (const [bs, drop] of [[7, false], [7, true], [103, true]] as const) {
      expect([...iterateBatches(view, { batchSize: bs, seed: 0, dropRemainder: drop })].length).toBe(batchCount(view, bs, drop));
    }
  });

  it("iterateBatches and batchCount reject a bad batchSize, seed or epoch and an out-of-range view index when called, naming the value", () => {
    expect(() => iterateBatches(view, { batchSize: 0, seed: 0 })).toThrow("iterateBatches: batchSize must be an integer >= 1; got 0");
    expect(() => iterateBatches(view, { batchSize: 2.5, seed: 0 })).toThrow(/batchSize must be an integer >= 1; got 2.5/);
    expect(() => iterateBatches(view, { batchSize: "32" as never, seed: 0 })).toThrow(/got "32"/);
    expect(() => iterateBatches(view, { batchSize: 4 })).toThrow(
      "iterateBatches: a seed is required when shuffle is true (randomness is explicit in dale-nn); got undefined",
    );
    expect(() => iterateBatches(view, { batchSize: 4, seed: -1 })).toThrow("iterateBatches: seed must be an integer >= 0; got -1");
    expect(() => iterateBatches(view, { batchSize: 4, seed: 0, epoch: 1.5 })).toThrow("iterateBatches: epoch must be an integer >= 0; got 1.5");
    expect(() => batchCount(view, -2)).toThrow("batchCount: batchSize must be an integer >= 1; got -2");
    expect(() => epochOrder(view, {})).toThrow(/^epochOrder: a seed is required/);
    const bad = { split, indices: Int32Array.from([0, 103]), count: 2 };
    expect(() => iterateBatches(bad, { batchSize: 1, shuffle: false })).toThrow("iterateBatches: view.indices[1] = 103 is outside the split's rows [0, 103)");
  });
});
