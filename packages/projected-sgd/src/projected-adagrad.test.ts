import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { projectedAdagrad } from "./projected-adagrad.js";
import { ProjectedOptimizer } from "./projected-optimizer.js";
import { signViolations, totalViolations } from "./sign-violations.js";
import { stepSideBySide } from "./internal/testing.js";

describe("projectedAdagrad", () => {
  useBackendWithLeakCheck("cpu");

  it("projectedAdagrad({learningRate}) wraps tfjs's Adagrad with initialAccumulatorValue 0.1", () => {
    const opt = projectedAdagrad({ learningRate: 0.05 });
    expect(opt).toBeInstanceOf(ProjectedOptimizer);
    expect(opt.inner.getConfig()).toEqual({ learningRate: 0.05, initialAccumulatorValue: 0.1 });
    opt.dispose();
  });

  it("projectedAdagrad({..., initialAccumulatorValue}) steps like projected(tf.train.adagrad(...)) and keeps every sign", () => {
    const opt = projectedAdagrad({ learningRate: 0.3, initialAccumulatorValue: 0.5 });
    const ref = new ProjectedOptimizer(tf.train.adagrad(0.3, 0.5));
    const run = stepSideBySide(24, opt, ref, (vars) => totalViolations(signViolations(vars, { frozenSigns: opt })));
    expect(run.violationsPerStep.every((n) => n === 0)).toBe(true);
    expect(run.values).toEqual(run.referenceValues);
  });

  it("projectedAdagrad rejects bad values and unknown options, naming them", () => {
    expect(() => projectedAdagrad({ learningRate: -1 })).toThrow("projectedAdagrad: learningRate must be a finite number > 0; got -1");
    expect(() => projectedAdagrad({ learningRate: 0.1, initialAccumulatorValue: 0 })).toThrow(
      "projectedAdagrad: initialAccumulatorValue must be a finite number > 0; got 0",
    );
    expect(() => projectedAdagrad(null as never)).toThrow(/projectedAdagrad: options must be an object/);
  });
});
