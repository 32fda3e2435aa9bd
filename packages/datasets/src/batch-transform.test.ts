import { createRandomSource } from "@dale-nn/ei-init";
import { describe, expect, it } from "vitest";
import { composeTransforms, type BatchTransform } from "./batch-transform.js";

const addOne: BatchTransform = {
  name: "add-one",
  random: false,
  create: (_shape, features) => (x, size) => {
    for (let i = 0; i < size * features; i++) x[i]! += 1;
  },
};
const double: BatchTransform = {
  name: "double-or-not",
  random: true,
  create: (_shape, features) => (x, size, rng) => {
    for (let j = 0; j < size; j++) if (rng!.uniform() < 2) for (let k = 0; k < features; k++) x[j * features + k]! *= 2;
  },
};

describe("composeTransforms", () => {
  it("composeTransforms(a, b) applies a then b to the filled rows, is random when any part is, and joins the names", () => {
    const t = composeTransforms(addOne, double);
    expect(t.name).toBe("add-one + double-or-not");
    expect(t.random).toBe(true);
    expect(composeTransforms(addOne).random).toBe(false);
    const x = new Float32Array([1, 2, 3, 4, 0, 0]);
    t.create([1, 2, 1], 2, 3)(x, 2, createRandomSource(0));
    expect(Array.from(x)).toEqual([4, 6, 8, 10, 0, 0]);
    const reversed = new Float32Array([1, 2, 3, 4, 0, 0]);
    composeTransforms(double, addOne).create(undefined, 2, 3)(reversed, 2, createRandomSource(0));
    expect(Array.from(reversed)).toEqual([3, 5, 7, 9, 0, 0]);
  });

  it("composeTransforms with a non-transform names its position", () => {
    expect(() => composeTransforms(addOne, 3 as never)).toThrow("composeTransforms: argument 1 is not a BatchTransform (no create function); got number");
  });
});
