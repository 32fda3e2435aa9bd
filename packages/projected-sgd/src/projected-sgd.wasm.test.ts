/**
 * The same paths on tfjs-backend-wasm, which the apps use in Node. It caught two backend bugs the
 * CPU backend hides (logicalNot aborts; `where` on boolean operands corrupts the heap), so the
 * library avoids both. The wasm backend is a devDependency, so this suite always runs.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomGradients } from "@dale-nn/test-support";
import { ProjectedSGD } from "./projected-sgd.js";
import { projectedAdam } from "./projected-adam.js";
import { signViolations, totalViolations } from "./sign-violations.js";
import { projectToConstraints } from "./project-to-constraints.js";
import { disposeVariables, f32, taggedVariable } from "./internal/testing.js";

/** One variable of every constraint kind over two layers, and an untagged one. */
function mixedVariables(): tf.Variable[] {
  return [
    taggedVariable([[1, 2, 3], [4, 5, 6]], { kind: "nonneg" }, { layer: "a" }),
    taggedVariable([[1, -2, -3], [4, -5, -6]], { kind: "column-sign", nonnegColumns: 1 }, { layer: "a" }),
    taggedVariable([[1, -2, 0], [-4, 5, -6]], { kind: "frozen-sign" }, { layer: "b" }),
    taggedVariable([-1, -2], { kind: "nonpos" }, { layer: "b" }),
    taggedVariable([1, -2], null),
  ];
}

/** 300 steps on seeded random gradients (σ 3): after each no sign is wrong, and after the first the tensor count stays put. */
function stepRandomly(vars: tf.Variable[], opt: ProjectedSGD | ReturnType<typeof projectedAdam>): void {
  let afterFirst = -1;
  for (let step = 0; step < 300; step++) {
    const grads = randomGradients(vars, step * 10, 3);
    opt.applyGradients(grads);
    tf.dispose(Object.values(grads));
    expect(totalViolations(signViolations(vars, { frozenSigns: opt }))).toBe(0);
    if (step === 0) afterFirst = tf.memory().numTensors;
    else expect(tf.memory().numTensors).toBe(afterFirst);
  }
}

describe("ProjectedSGD on tfjs-backend-wasm", () => {
  let before = 0;
  beforeAll(async () => {
    expect(await tf.setBackend("wasm")).toBe(true);
    await tf.ready();
    before = tf.memory().numTensors;
  });
  afterAll(() => {
    expect(tf.memory().numTensors).toBe(before);
  });

  it("applyGradients gives the exact projected step for every constraint kind on wasm", () => {
    expect(tf.getBackend()).toBe("wasm");
    const theta = [
      [0.5, -0.25, 0],
      [1, -1, 0.75],
    ];
    const grad = tf.tensor2d([
      [2, -2, 1],
      [1, 1, 4],
    ]);
    const cases: [Parameters<typeof taggedVariable>[1], number[]][] = [
      [{ kind: "nonneg" }, [0, 0.75, 0, 0.5, 0, 0]],
      [{ kind: "nonpos" }, [-0.5, 0, -0.5, 0, -1.5, -1.25]],
      [{ kind: "free" }, [-0.5, 0.75, -0.5, 0.5, -1.5, -1.25]],
      [{ kind: "column-sign", nonnegColumns: 1 }, [0, 0, -0.5, 0.5, -1.5, -1.25]],
      [{ kind: "frozen-sign" }, [1e-6, -1e-6, 1e-6, 0.5, -1.5, 1e-6]],
    ];
    const vars = cases.map(([c]) => taggedVariable(theta, c));
    const opt = new ProjectedSGD({ learningRate: 0.5 });
    opt.applyGradients(Object.fromEntries(vars.map((v) => [v.name, grad])));
    vars.forEach((v, i) => expect(Array.from(v.dataSync())).toEqual(f32(cases[i]![1])));
    grad.dispose();
    opt.dispose();
    disposeVariables(...vars);
  });

  it("signViolations counts per kind on wasm", () => {
    const nonneg = taggedVariable([1, -1, 0, Number.NaN], { kind: "nonneg" });
    const col = taggedVariable(
      [
        [1, -1, 1],
        [-1, 0, -2],
      ],
      { kind: "column-sign", nonnegColumns: 1 },
    );
    const frozen = taggedVariable([0, 1, -1], { kind: "frozen-sign" });
    for (let i = 0; i < 20; i++) {
      expect(signViolations([nonneg, col, frozen])).toEqual({ [nonneg.name]: 2, [col.name]: 2, [frozen.name]: 1 });
    }
    disposeVariables(nonneg, col, frozen);
  });

  it("300 steps with clipping and lrBackoff at learningRate 10 keep every sign and every tensor count on wasm", () => {
    const vars = mixedVariables();
    const opt = new ProjectedSGD({ learningRate: 10, clipNorm: { maxNorm: 2, scope: "per-layer" }, lrBackoff: { minCosine: 0.9, factors: [1, 0.3, 0.1] } });
    stepRandomly(vars, opt);
    expect(projectToConstraints(vars)).toHaveLength(4);
    opt.dispose();
    disposeVariables(...vars);
  });

  it("300 projectedAdam steps with clipping at learningRate 1 keep every sign and every tensor count on wasm", () => {
    const vars = mixedVariables();
    const opt = projectedAdam({ learningRate: 1, clipNorm: { maxNorm: 2, scope: "per-layer" } });
    stepRandomly(vars, opt);
    opt.dispose();
    disposeVariables(...vars);
  });
});
