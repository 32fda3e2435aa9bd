import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { projectedRmsProp } from "./projected-rms-prop.js";
import { ProjectedOptimizer } from "./projected-optimizer.js";
import { signViolations, totalViolations } from "./sign-violations.js";
import { stepSideBySide } from "./internal/testing.js";

describe("projectedRmsProp", () => {
  useBackendWithLeakCheck("cpu");

  it("projectedRmsProp({learningRate}) wraps tfjs's RMSProp with decay 0.9, momentum 0, not centred", () => {
    const opt = projectedRmsProp({ learningRate: 0.01 });
    expect(opt).toBeInstanceOf(ProjectedOptimizer);
    expect(opt.inner.getConfig()).toEqual({ learningRate: 0.01, decay: 0.9, momentum: 0, epsilon: tf.backend().epsilon(), centered: false });
    opt.dispose();
  });

  it("projectedRmsProp({..., momentum, transforms}) steps like projected(tf.train.rmsprop(...)) and keeps every sign", () => {
    const opt = projectedRmsProp({ learningRate: 0.05, decay: 0.8, momentum: 0.5, epsilon: 1e-6, frozenSignMagnitude: 1e-4 });
    const ref = new ProjectedOptimizer(tf.train.rmsprop(0.05, 0.8, 0.5, 1e-6), { frozenSignMagnitude: 1e-4 });
    const run = stepSideBySide(22, opt, ref, (vars) => totalViolations(signViolations(vars, { frozenSigns: opt })));
    expect(run.violationsPerStep.every((n) => n === 0)).toBe(true);
    expect(run.values).toEqual(run.referenceValues);
  });

  it("projectedRmsProp rejects bad values and unknown options, naming them", () => {
    expect(() => projectedRmsProp({} as never)).toThrow("projectedRmsProp: learningRate must be a finite number > 0; got undefined");
    expect(() => projectedRmsProp({ learningRate: 0.1, decay: 1.5 })).toThrow("projectedRmsProp: decay must be a number in [0, 1); got 1.5");
    expect(() => projectedRmsProp({ learningRate: 0.1, momentum: -1 })).toThrow("projectedRmsProp: momentum must be a finite number >= 0; got -1");
    expect(() => projectedRmsProp({ learningRate: 0.1, centered: "yes" as never })).toThrow('projectedRmsProp: centered must be true or false; got "yes"');
    expect(() => projectedRmsProp({ learningRate: 0.1, rho: 0.9 } as never)).toThrow(/projectedRmsProp: unknown option "rho"/);
  });
});
