import { describe, expect, it } from "vitest";
import { syntheticSplit } from "./internal/test-fixtures.js";
import { fullView, subsetView } from "./split-view.js";

describe("fullView / subsetView", () => {
  it("fullView(split) selects every row in order and shares the split's pixels", () => {
    const split = syntheticSplit(5);
    const view = fullView(split);
    expect(view.split).toBe(split);
    expect(view.count).toBe(5);
    expect(Array.from(view.indices)).toEqual([0, 1, 2, 3, 4]);
    expect(fullView(syntheticSplit(0)).count).toBe(0);
  });

  it("subsetView(view, count) keeps the first count rows as a subarray of the view's indices (no copy)", () => {
    const view = fullView(syntheticSplit(10));
    const sub = subsetView(view, 4);
    expect(sub.count).toBe(4);
    expect(Array.from(sub.indices)).toEqual([0, 1, 2, 3]);
    expect(sub.indices.buffer).toBe(view.indices.buffer);
    expect(subsetView(view, 0).count).toBe(0);
    expect(subsetView(view, 10).count).toBe(10);
  });

  it("subsetView and fullView reject bad counts and non-splits, naming the value and the range", () => {
    const view = fullView(syntheticSplit(10));
    expect(() => subsetView(view, 11)).toThrow("subsetView: count must be an integer in [0, 10]; got 11");
    expect(() => subsetView(view, -1)).toThrow("subsetView: count must be an integer in [0, 10]; got -1");
    expect(() => subsetView(view, 2.5)).toThrow(/got 2.5/);
    expect(() => fullView(undefined as never)).toThrow("fullView: expected an ImageSplit with an integer count >= 0; got undefined");
    expect(() => fullView({ count: 1.5 } as never)).toThrow(/got count 1.5/);
  });
});
