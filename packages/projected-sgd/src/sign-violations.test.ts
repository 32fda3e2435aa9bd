import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useLeakCheck } from "@dale-nn/test-support";
import { signViolations, totalViolations } from "./sign-violations.js";
import { ProjectedSGD } from "./projected-sgd.js";
import { disposeVariables, taggedVariable } from "./internal/testing.js";

describe("signViolations", () => {
  useLeakCheck();

  it("signViolations(vars) counts wrong-signed elements per variable, NaN included", () => {
    const nonneg = taggedVariable([1, -1, 0, Number.NaN, -2], { kind: "nonneg" });
    const nonpos = taggedVariable([1, -1, 0, 3], { kind: "nonpos" });
    const col = taggedVariable(
      [
        [1, -1, 1],
        [-1, 0, -2],
      ],
      { kind: "column-sign", nonnegColumns: 1 },
    );
    const free = taggedVariable([-1, Number.NaN], { kind: "free" });
    const loose = taggedVariable([-1], null);
    const counts = signViolations([nonneg, nonpos, col, free, loose]);
    expect(counts).toEqual({ [nonneg.name]: 3, [nonpos.name]: 2, [col.name]: 2, [free.name]: 0, [loose.name]: 0 });
    expect(totalViolations(counts)).toBe(7);
    disposeVariables(nonneg, nonpos, col, free, loose);
  });

  it("signViolations counts a frozen-sign element against the recorded sign, or as zero without one", () => {
    const v = taggedVariable([0.5, -0.5, 1], { kind: "frozen-sign" });
    const opt = new ProjectedSGD({ learningRate: 1 });
    const g = tf.tensor1d([0, 0, 0]);
    opt.applyGradients({ [v.name]: g }); // s = [+, −, +]
    tf.tidy(() => v.assign(tf.tensor1d([-0.5, -0.5, 0])));
    expect(signViolations([v], { frozenSigns: opt })).toEqual({ [v.name]: 2 });
    expect(signViolations([v])).toEqual({ [v.name]: 1 });
    g.dispose();
    opt.dispose();
    disposeVariables(v);
  });

  it("signViolations(model) reads a LayersModel's weights; an empty or all-free collection reads nothing back", () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    const counts = signViolations(model);
    expect(Object.keys(counts)).toHaveLength(2);
    expect(totalViolations(counts)).toBe(0);
    expect(signViolations([])).toEqual({});
    model.dispose();
  });

  it("signViolations rejects something that is not a variable", () => {
    expect(() => signViolations([42 as unknown as tf.Variable])).toThrow(/signViolations: expected a tf.Variable or a LayerVariable/);
  });
});
