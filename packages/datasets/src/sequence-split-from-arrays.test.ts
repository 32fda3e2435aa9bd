import { describe, expect, it } from "vitest";
import { iterateBatches } from "./iterate-batches.js";
import { sequenceSplitFromArrays } from "./sequence-split-from-arrays.js";
import { fullView } from "./split-view.js";

/** 3 examples of 2 steps x 2 features: value = 100 * example + 10 * step + feature. */
function inputs(count = 3, steps = 2, features = 2): Float32Array {
  const x = new Float32Array(count * steps * features);
  for (let e = 0; e < count; e++) for (let s = 0; s < steps; s++) for (let f = 0; f < features; f++) x[(e * steps + s) * features + f] = 100 * e + 10 * s + f;
  return x;
}

describe("sequenceSplitFromArrays", () => {
  it("sequenceSplitFromArrays({ inputs, steps, features, labels }) gives features = steps x features, step-major rows, copied Uint8 labels", () => {
    const x = inputs();
    const labels = [2, 0, 1];
    const split = sequenceSplitFromArrays({ inputs: x, steps: 2, features: 2, labels });
    expect(split).toMatchObject({ count: 3, features: 4, steps: 2, stepFeatures: 2, numClasses: 3 });
    expect(split.images).toBe(x); // not copied
    expect(split.labels).toEqual(new Uint8Array([2, 0, 1]));
    expect(split.targets).toBeUndefined();
    // iterateBatches gathers whole sequences; row 2 step 1 feature 0 is 210
    const [batch] = [...iterateBatches(fullView(split), { batchSize: 3, shuffle: false })];
    expect(Array.from(batch!.x.subarray(8, 12))).toEqual([200, 201, 210, 211]);
    expect(Array.from(batch!.labels)).toEqual([2, 0, 1]);
  });

  it("sequenceSplitFromArrays with numClasses keeps it; with targets only it is a regression split", () => {
    expect(sequenceSplitFromArrays({ inputs: inputs(), steps: 2, features: 2, labels: new Int32Array([0, 1, 1]), numClasses: 8 }).numClasses).toBe(8);
    const targets = new Float32Array([0.5, 1, 1.5, 2, 2.5, 3]);
    const reg = sequenceSplitFromArrays({ inputs: inputs(), steps: 2, features: 2, targets });
    expect(reg).toMatchObject({ numClasses: 0, targetSize: 2 });
    expect(reg.labels).toEqual(new Uint8Array(3));
    expect(reg.targets).toBe(targets);
    const batch = iterateBatches(fullView(reg), { batchSize: 2, shuffle: false }).next().value; // buffers are reused: read the first batch before the next
    expect(Array.from(batch!.targets!)).toEqual([0.5, 1, 1.5, 2]);
    expect(sequenceSplitFromArrays({ inputs: inputs(), steps: 2, features: 2, targets, targetSize: 2, labels: [0, 0, 1] })).toMatchObject({ numClasses: 2, targetSize: 2 });
  });

  it("sequenceSplitFromArrays rejects inputs that are not Float32Array or not a multiple of steps x features", () => {
    expect(() => sequenceSplitFromArrays({ inputs: [1, 2] as never, steps: 1, features: 1, labels: [0, 0] })).toThrow(
      "sequenceSplitFromArrays: inputs must be a Float32Array [count, steps, features]; got a plain Array (convert with Float32Array.from)",
    );
    expect(() => sequenceSplitFromArrays({ inputs: new Float32Array(10), steps: 2, features: 3, labels: [0] })).toThrow(
      "sequenceSplitFromArrays: inputs has 10 values, not a multiple of steps x features = 2 x 3 = 6",
    );
    expect(() => sequenceSplitFromArrays({ inputs: new Float32Array(6), steps: 0, features: 3, labels: [0] })).toThrow(
      "sequenceSplitFromArrays: steps must be an integer >= 1; got 0",
    );
    expect(() => sequenceSplitFromArrays({ inputs: new Float32Array(6), steps: 2, features: 3 })).toThrow(
      "sequenceSplitFromArrays: neither labels nor targets given; expected class labels [count] and/or targets [count, targetSize]",
    );
  });

  it("sequenceSplitFromArrays names the example, step and feature of a non-finite input", () => {
    const x = inputs();
    x[7] = Number.NaN; // example 1, step 1, feature 1
    expect(() => sequenceSplitFromArrays({ inputs: x, steps: 2, features: 2, labels: [0, 1, 2] })).toThrow(
      "sequenceSplitFromArrays: inputs value NaN at index 7 (example 1, step 1, feature 1) is not finite; expected finite numbers",
    );
    const y = inputs();
    y[0] = Number.POSITIVE_INFINITY;
    expect(() => sequenceSplitFromArrays({ inputs: y, steps: 2, features: 2, labels: [0, 1, 2] }, { inputs: "x.npy" })).toThrow(
      "sequenceSplitFromArrays: x.npy value Infinity at index 0 (example 0, step 0, feature 0) is not finite",
    );
  });

  it("sequenceSplitFromArrays rejects a label count mismatch, a non-integer or negative label, and a label outside numClasses", () => {
    const x = inputs();
    expect(() => sequenceSplitFromArrays({ inputs: x, steps: 2, features: 2, labels: [0, 1] })).toThrow(
      "sequenceSplitFromArrays: inputs holds 3 examples (12 values / 4 per example) but labels has 2 entries; expected equal counts",
    );
    expect(() => sequenceSplitFromArrays({ inputs: x, steps: 2, features: 2, labels: [0, 1.5, 2] })).toThrow(
      "sequenceSplitFromArrays: labels value 1.5 at index 1 is not an integer >= 0",
    );
    expect(() => sequenceSplitFromArrays({ inputs: x, steps: 2, features: 2, labels: [0, -1, 2] })).toThrow("labels value -1 at index 1 is not an integer >= 0");
    expect(() => sequenceSplitFromArrays({ inputs: x, steps: 2, features: 2, labels: [0, 1, 9], numClasses: 5 })).toThrow(
      "sequenceSplitFromArrays: labels value 9 at index 2 is outside [0, 5) (numClasses 5)",
    );
    expect(() => sequenceSplitFromArrays({ inputs: x, steps: 2, features: 2, labels: [0, 1, 300] })).toThrow(
      "sequenceSplitFromArrays: labels has label 300, so 301 classes; expected at most 256 classes (labels are stored as Uint8Array)",
    );
    expect(() => sequenceSplitFromArrays({ inputs: x, steps: 2, features: 2, labels: [0, 1, 2], numClasses: 257 })).toThrow(
      "sequenceSplitFromArrays: numClasses must be an integer in [1, 256]; got 257",
    );
    expect(() => sequenceSplitFromArrays({ inputs: x, steps: 2, features: 2, labels: "012" as never })).toThrow(
      'sequenceSplitFromArrays: labels must be an array of integers [count]; got "012"',
    );
    expect(() => sequenceSplitFromArrays({ inputs: x, steps: 2, features: 2, targets: new Float32Array(3), numClasses: 2 })).toThrow(
      "sequenceSplitFromArrays: numClasses 2 given without labels; expected labels [count] with it",
    );
  });

  it("sequenceSplitFromArrays rejects targets of the wrong type or length and non-finite targets", () => {
    const x = inputs();
    expect(() => sequenceSplitFromArrays({ inputs: x, steps: 2, features: 2, targets: [1, 2, 3] as never })).toThrow(
      "sequenceSplitFromArrays: targets must be a Float32Array [count, targetSize]; got a plain Array",
    );
    expect(() => sequenceSplitFromArrays({ inputs: x, steps: 2, features: 2, targets: new Float32Array(4) })).toThrow(
      "sequenceSplitFromArrays: targets has 4 values, not a positive multiple of the 3 examples in inputs; expected [count, targetSize]",
    );
    expect(() => sequenceSplitFromArrays({ inputs: x, steps: 2, features: 2, targets: new Float32Array(6), targetSize: 3 })).toThrow(
      "sequenceSplitFromArrays: targets has 6 values; expected count x targetSize = 3 x 3 = 9",
    );
    const t = new Float32Array(3);
    t[2] = Number.NEGATIVE_INFINITY;
    expect(() => sequenceSplitFromArrays({ inputs: x, steps: 2, features: 2, targets: t })).toThrow(
      "sequenceSplitFromArrays: targets value -Infinity at index 2 (example 2) is not finite; expected finite numbers",
    );
  });
});
