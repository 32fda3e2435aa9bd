import { describe, expect, it } from "vitest";
import type { ImageSplit } from "@dale-nn/datasets";
import { RNN_PROFILES } from "./rnn-profiles.js";
import { REFERENCE_VALIDATION_SIZE, validationViews } from "./selection-split.js";

describe("validationViews", () => {
  const split = { count: 12_000 } as ImageSplit;
  const view = { split, indices: new Int32Array(0), count: 0 };

  it("holds out 10,000 images per seed, disjoint from the training rows, and cuts both to the profile's limits", () => {
    const paper = validationViews(view, 3, RNN_PROFILES.paper);
    expect(paper.validation.count).toBe(REFERENCE_VALIDATION_SIZE);
    expect(paper.train.count).toBe(2_000);
    const held = new Set(paper.validation.indices);
    expect(paper.train.indices.some((i) => held.has(i))).toBe(false);
    expect(validationViews(view, 3, RNN_PROFILES.paper).validation.indices).toEqual(paper.validation.indices);
    expect(validationViews(view, 4, RNN_PROFILES.paper).validation.indices).not.toEqual(paper.validation.indices);
    const tiny = validationViews(view, 3, RNN_PROFILES.tiny);
    expect([tiny.train.count, tiny.validation.count]).toEqual([RNN_PROFILES.tiny.trainLimit.seqmnist, RNN_PROFILES.tiny.testLimit]);
  });

  it("refuses a training set too small to hold out 10,000 images, naming the size", () => {
    expect(() => validationViews({ split: { count: 9_000 } as ImageSplit, indices: new Int32Array(0), count: 0 }, 0, RNN_PROFILES.paper)).toThrow(/validationSize must be an integer in \[0, 8999\].*got 10000/);
  });
});
