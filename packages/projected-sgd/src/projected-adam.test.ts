import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { projectedAdam } from "./projected-adam.js";
import { ProjectedOptimizer } from "./projected-optimizer.js";
import { signViolations, totalViolations } from "./sign-violations.js";
import { stepSideBySide } from "./internal/testing.js";

describe("projectedAdam", () => {
  useBackendWithLeakCheck("cpu");

  it("projectedAdam() wraps tfjs's Adam with its defaults (η 0.001, β₁ 0.9, β₂ 0.999, the backend's ε)", () => {
    const opt = projectedAdam();
    expect(opt).toBeInstanceOf(ProjectedOptimizer);
    expect(opt.inner.getClassName()).toBe("Adam");
    expect(opt.inner.getConfig()).toEqual({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: tf.backend().epsilon() });
    opt.dispose();
  });

  it("projectedAdam({learningRate, beta1, beta2, epsilon, clipNorm}) steps like projected(tf.train.adam(...), {clipNorm}) and keeps every sign", () => {
    const clipNorm = { maxNorm: 1, scope: "per-layer" } as const;
    const opt = projectedAdam({ learningRate: 0.05, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, clipNorm });
    const ref = new ProjectedOptimizer(tf.train.adam(0.05, 0.8, 0.99, 1e-6), { clipNorm });
    const run = stepSideBySide(21, opt, ref, (vars) => totalViolations(signViolations(vars, { frozenSigns: opt })));
    expect(run.violationsPerStep.every((n) => n === 0)).toBe(true);
    expect(run.values).toEqual(run.referenceValues);
  });

  it("projectedAdam rejects bad values and unknown options, naming them, and leaks nothing", () => {
    expect(() => projectedAdam({ learningRate: 0 })).toThrow("projectedAdam: learningRate must be a finite number > 0; got 0");
    expect(() => projectedAdam({ beta1: 1 })).toThrow("projectedAdam: beta1 must be a number in [0, 1); got 1");
    expect(() => projectedAdam({ beta2: -0.1 })).toThrow("projectedAdam: beta2 must be a number in [0, 1); got -0.1");
    expect(() => projectedAdam({ epsilon: 0 })).toThrow("projectedAdam: epsilon must be a finite number > 0; got 0");
    expect(() => projectedAdam({ clipNorm: { maxNorm: -1, scope: "global" } })).toThrow("projectedAdam: clipNorm.maxNorm must be a finite number > 0; got -1");
    expect(() => projectedAdam({ lrBackoff: {} } as never)).toThrow(/projectedAdam: unknown option "lrBackoff" \(Alg. 6 picks SGD step sizes: use ProjectedSGD\)/);
    expect(() => projectedAdam({ beta: 0.9 } as never)).toThrow(/projectedAdam: unknown option "beta"; expected one of "learningRate", "beta1", "beta2", "epsilon", "transforms"/);
  });
});
