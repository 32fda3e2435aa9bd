import { describe, expect, it } from "vitest";
import { syntheticSplit } from "./internal/test-fixtures.js";
import { trainValidationSplit } from "./train-validation-split.js";

describe("trainValidationSplit", () => {
  it("trainValidationSplit(split, { validationSize, seed }) is a partition: disjoint, covering every row, with the right sizes", () => {
    const split = syntheticSplit(1000);
    const { train, validation } = trainValidationSplit(split, { validationSize: 150, seed: 3 });
    expect(validation.count).toBe(150);
    expect(train.count).toBe(850);
    expect(validation.indices.length).toBe(150);
    expect(train.split).toBe(split);
    expect(validation.split).toBe(split);
    const seen = new Uint8Array(1000);
    for (const i of train.indices) seen[i]!++;
    for (const i of validation.indices) seen[i]!++;
    expect(seen.every((c) => c === 1)).toBe(true);
    // Sorted ascending within each view, and random: not simply the last or first 150 rows.
    expect(Array.from(validation.indices)).toEqual(Array.from(validation.indices).sort((a, b) => a - b));
    expect(validation.indices[149]! - validation.indices[0]!).toBeGreaterThan(149);
  });

  it("trainValidationSplit is reproducible for a seed and differs between seeds", () => {
    const split = syntheticSplit(500);
    const a = trainValidationSplit(split, { validationSize: 50, seed: 7 });
    const b = trainValidationSplit(split, { validationSize: 50, seed: 7 });
    const c = trainValidationSplit(split, { validationSize: 50, seed: 8 });
    expect(Array.from(a.validation.indices)).toEqual(Array.from(b.validation.indices));
    expect(Array.from(a.train.indices)).toEqual(Array.from(b.train.indices));
    expect(Array.from(a.validation.indices)).not.toEqual(Array.from(c.validation.indices));
  });

  it("trainValidationSplit(split, { seed }) holds out 10,000 rows by default; validationSize 0 keeps every row for training", () => {
    const split = syntheticSplit(12_000, 1);
    const { train, validation } = trainValidationSplit(split, { seed: 0 });
    expect(validation.count).toBe(10_000);
    expect(train.count).toBe(2_000);
    const none = trainValidationSplit(split, { validationSize: 0, seed: 0 });
    expect(none.validation.count).toBe(0);
    expect(Array.from(none.train.indices.subarray(0, 3))).toEqual([0, 1, 2]);
  });

  it("trainValidationSplit rejects validationSize < 0, >= count or non-integer, and a missing or bad seed, naming the value", () => {
    const split = syntheticSplit(100);
    expect(() => trainValidationSplit(split, { validationSize: 100, seed: 0 })).toThrow(
      "trainValidationSplit: validationSize must be an integer in [0, 99] (fewer than the split's 100 rows); got 100",
    );
    expect(() => trainValidationSplit(split, { validationSize: -1, seed: 0 })).toThrow(/got -1/);
    expect(() => trainValidationSplit(split, { validationSize: 2.5, seed: 0 })).toThrow(/got 2.5/);
    expect(() => trainValidationSplit(syntheticSplit(5_000), { seed: 0 })).toThrow(/in \[0, 4999\].*got 10000/);
    expect(() => trainValidationSplit(split, { validationSize: 10 } as never)).toThrow(
      "trainValidationSplit: a seed is required (randomness is explicit in dale-nn); got undefined",
    );
    expect(() => trainValidationSplit(split, { validationSize: 10, seed: -3 })).toThrow("trainValidationSplit: seed must be an integer >= 0; got -3");
  });
});
