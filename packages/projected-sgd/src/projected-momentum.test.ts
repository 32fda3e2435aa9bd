import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { projectedMomentum } from "./projected-momentum.js";
import { ProjectedOptimizer } from "./projected-optimizer.js";
import { signViolations, totalViolations } from "./sign-violations.js";
import { stepSideBySide } from "./internal/testing.js";

describe("projectedMomentum", () => {
  useBackendWithLeakCheck("cpu");

  it("projectedMomentum({learningRate}) wraps tfjs's momentum SGD with μ 0.9, no Nesterov; dispose frees its −η scalar too", () => {
    const opt = projectedMomentum({ learningRate: 0.1 });
    expect(opt).toBeInstanceOf(ProjectedOptimizer);
    expect(opt.inner.getConfig()).toEqual({ learningRate: 0.1, momentum: 0.9, useNesterov: false });
    opt.dispose();
  });

  it("projectedMomentum({..., useNesterov, clipNorm}) steps like projected(tf.train.momentum(...)) and keeps every sign", () => {
    const clipNorm = { maxNorm: 0.5, scope: "global" } as const;
    const opt = projectedMomentum({ learningRate: 0.1, momentum: 0.8, useNesterov: true, clipNorm });
    const ref = new ProjectedOptimizer(tf.train.momentum(0.1, 0.8, true), { clipNorm });
    const run = stepSideBySide(23, opt, ref, (vars) => totalViolations(signViolations(vars, { frozenSigns: opt })));
    expect(run.violationsPerStep.every((n) => n === 0)).toBe(true);
    expect(run.values).toEqual(run.referenceValues);
  });

  it("projectedMomentum rejects bad values and unknown options, naming them", () => {
    expect(() => projectedMomentum({ learningRate: Number.NaN })).toThrow("projectedMomentum: learningRate must be a finite number > 0; got NaN");
    expect(() => projectedMomentum({ learningRate: 0.1, momentum: -0.5 })).toThrow("projectedMomentum: momentum must be a finite number >= 0; got -0.5");
    expect(() => projectedMomentum({ learningRate: 0.1, useNesterov: 1 as never })).toThrow("projectedMomentum: useNesterov must be true or false; got 1");
    expect(() => projectedMomentum({ learningRate: 0.1, untagged: "skip" as never })).toThrow(/projectedMomentum: untagged must be one of "free", "error"; got "skip"/);
  });
});
