import { describe, expect, it } from "vitest";
import { repeatChannels } from "./repeat-channels.js";
import { syntheticSplit } from "./internal/test-fixtures.js";

describe("repeatChannels", () => {
  it("repeatChannels(split, 3) copies the grey channel into R, G and B", () => {
    const split = { ...syntheticSplit(2, 4), shape: [2, 2, 1] as const };
    const rgb = repeatChannels(split, 3);
    expect(rgb.shape).toEqual([2, 2, 3]);
    expect(rgb.features).toBe(12);
    for (let p = 0; p < 8; p++) for (let k = 0; k < 3; k++) expect(rgb.images[p * 3 + k]).toBe(split.images[p]);
    expect(Array.from(rgb.labels)).toEqual([0, 1]);
  });

  it("repeatChannels on a split without shape or with several channels says what was expected", () => {
    expect(() => repeatChannels(syntheticSplit(1, 4), 3)).toThrow("repeatChannels: expected a split with shape [height, width, 1]; got no shape (features 4)");
    expect(() => repeatChannels({ ...syntheticSplit(1, 12), shape: [2, 2, 3] }, 3)).toThrow("got [2, 2, 3]");
    expect(() => repeatChannels({ ...syntheticSplit(1, 4), shape: [2, 2, 1] }, 0)).toThrow("repeatChannels: channels must be an integer >= 1; got 0");
  });
});
