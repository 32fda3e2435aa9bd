import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useLeakCheck } from "@dale-nn/test-support";
import { tagParameter } from "@dale-nn/core";
import { projectTensor, projectToConstraints, projectVariable } from "./project-to-constraints.js";
import { ProjectedSGD } from "./projected-sgd.js";
import { disposeVariables, f32, metaFor, taggedVariable } from "./internal/testing.js";

const VALUES = [
  [0.5, -0.25, 0],
  [-1, 2, -0.75],
];

describe("projectTensor / projectVariable / projectToConstraints", () => {
  useLeakCheck();

  it("projectTensor(x, constraint) clamps per kind and returns a new tensor", () => {
    const x = tf.tensor2d(VALUES);
    const cases: [Parameters<typeof projectTensor>[1], number[]][] = [
      [{ kind: "nonneg" }, [0.5, 0, 0, 0, 2, 0]],
      [{ kind: "nonpos" }, [0, -0.25, 0, -1, 0, -0.75]],
      [{ kind: "free" }, [0.5, -0.25, 0, -1, 2, -0.75]],
      [{ kind: "column-sign", nonnegColumns: 2 }, [0.5, 0, 0, 0, 2, -0.75]],
      [{ kind: "frozen-sign" }, [0.5, -0.25, 1e-6, -1, 2, -0.75]],
    ];
    for (const [constraint, expected] of cases) {
      const y = projectTensor(x, constraint);
      expect(y).not.toBe(x);
      expect(Array.from(y.dataSync())).toEqual(f32(expected));
      y.dispose();
    }
    x.dispose();
  });

  it("projectTensor(x, frozen-sign, {signs, frozenSignMagnitude}) uses the given signs and magnitude", () => {
    const x = tf.tensor1d([0.5, -0.5, 0]);
    const s = tf.tensor1d([-1, -1, -1]);
    const y = projectTensor(x, { kind: "frozen-sign" }, { signs: s, frozenSignMagnitude: 0.25 });
    expect(Array.from(y.dataSync())).toEqual([-0.25, -0.5, -0.25]);
    const bad = tf.tensor1d([1, 1]);
    expect(() => projectTensor(x, { kind: "frozen-sign" }, { signs: bad })).toThrow("projectTensor: signs must have the value's shape [3]; got [2]");
    expect(() => projectTensor(x, { kind: "frozen-sign" }, { frozenSignMagnitude: -1 })).toThrow(
      "projectTensor: frozenSignMagnitude must be a finite number >= 0; got -1",
    );
    tf.dispose([x, s, y, bad]);
  });

  it("projectTensor rejects a column-sign constraint that does not fit the matrix", () => {
    const x = tf.tensor2d(VALUES);
    expect(() => projectTensor(x, { kind: "column-sign", nonnegColumns: 4 })).toThrow(/has 3 columns, so nonnegColumns must be an integer in \[0, 3\]; got 4/);
    x.dispose();
  });

  it("projectVariable(v, meta) clamps the variable in place", () => {
    const v = taggedVariable(VALUES, null);
    expect(projectVariable(v, metaFor({ kind: "column-sign", nonnegColumns: 1 }, v.shape))).toBe(v);
    expect(Array.from(v.dataSync())).toEqual(f32([0.5, -0.25, 0, 0, 0, -0.75]));
    disposeVariables(v);
  });

  it("projectToConstraints(variables) projects tagged variables, skips free and untagged ones, and returns their names", () => {
    const a = taggedVariable([1, -1], { kind: "nonneg" });
    const b = taggedVariable([1, -1], { kind: "free" });
    const c = taggedVariable([1, -1], null);
    const d = taggedVariable([1, -1], { kind: "nonpos" });
    expect(projectToConstraints([a, b, c, d])).toEqual([a.name, d.name]);
    expect(Array.from(a.dataSync())).toEqual([1, 0]);
    expect(Array.from(b.dataSync())).toEqual([1, -1]);
    expect(Array.from(c.dataSync())).toEqual([1, -1]);
    expect(Array.from(d.dataSync())).toEqual([0, -1]);
    // A map of variables works too.
    expect(projectToConstraints({ x: a, y: d })).toEqual([a.name, d.name]);
    disposeVariables(a, b, c, d);
  });

  it("projectToConstraints(vars, {frozenSigns: optimizer}) uses the signs the optimiser recorded and its magnitude", () => {
    const v = taggedVariable([0.5, -0.5], { kind: "frozen-sign" });
    const opt = new ProjectedSGD({ learningRate: 1, frozenSignMagnitude: 0.125 });
    const g = tf.tensor1d([0, 0]);
    opt.applyGradients({ [v.name]: g }); // records s = [+1, −1]
    tf.tidy(() => v.assign(tf.tensor1d([-2, 3]))); // e.g. loaded weights with flipped signs
    projectToConstraints([v], { frozenSigns: opt });
    expect(Array.from(v.dataSync())).toEqual([0.125, -0.125]);
    g.dispose();
    opt.dispose();
    disposeVariables(v);
  });

  it("projectToConstraints(model) walks a LayersModel's weights", () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], kernelInitializer: "randomNormal", biasInitializer: "ones" })] });
    const kernel = model.layers[0]!.trainableWeights[0]!.read() as tf.Variable;
    tagParameter(kernel, { role: "weight", constraint: { kind: "nonpos" }, layer: "d", sizes: { d: 3, ne: 2, ni: 0 } });
    expect(projectToConstraints(model)).toEqual([kernel.name]);
    expect(kernel.dataSync().every((x) => x <= 0)).toBe(true);
    model.dispose();
  });
});
