import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { MULTI_TENSOR_STEP_KERNEL, MULTI_TENSOR_STEP_KERNEL_FAMILY, versionedKernelName } from "@dale-nn/core";
import { dannUpdateCorrection } from "@dale-nn/fisher-correction";
import { ProjectedSGD } from "./projected-sgd.js";
import { projectedAdam } from "./projected-adam.js";
import { projectedMomentum } from "./projected-momentum.js";
import { constrainedStepValues, disposeVariables, taggedVariable } from "./internal/testing.js";
// Test code only, never packaged.
import { withKernels } from "../../core/src/test-support/failing-kernels.js";

type MakeOptimizer = () => tf.Optimizer;

const OPTIMIZERS: Record<string, MakeOptimizer> = {
  "ProjectedSGD": () => new ProjectedSGD({ learningRate: 0.3 }),
  "ProjectedSGD with the DANN correction": () => new ProjectedSGD({ learningRate: 0.3, transforms: [dannUpdateCorrection()] }),
  "projectedMomentum": () => projectedMomentum({ learningRate: 0.3, momentum: 0.9 }),
  "projectedAdam": () => projectedAdam({ learningRate: 0.3 }),
};

const stepValues = (make: MakeOptimizer): number[][] => constrainedStepValues(make, 2);

describe("projected optimisers without this version of the multi-tensor step kernel", () => {
  useBackendWithLeakCheck("cpu");

  for (const [name, make] of Object.entries(OPTIMIZERS)) {
    it(`${name}: on cpu (no kernel) and with version 0 registered, a step gives the separate ops' numbers; with version 1 registered it is called`, () => {
      const separate = stepValues(make);
      expect(separate[0]!.every((v) => v >= 0) && separate[1]!.every((v) => v <= 0)).toBe(true);
      expect(withKernels([versionedKernelName(MULTI_TENSOR_STEP_KERNEL_FAMILY, 0)], () => stepValues(make))).toEqual(separate);
      expect(() => withKernels([MULTI_TENSOR_STEP_KERNEL], () => stepValues(make))).toThrow(`${MULTI_TENSOR_STEP_KERNEL} must not be called`);
    });
  }

  it("a frozen-sign or column-sign variable keeps the whole step on the separate ops (the kernel has no such projection)", () => {
    const v = taggedVariable([0.5, -0.25], { kind: "frozen-sign" });
    const optimizer = new ProjectedSGD({ learningRate: 0.1 });
    const g = tf.tensor1d([1, 1]);
    try {
      withKernels([MULTI_TENSOR_STEP_KERNEL], () => optimizer.applyGradients({ [v.name]: g }));
      expect(Array.from(v.dataSync())[1]).toBeCloseTo(-0.35, 6);
    } finally {
      g.dispose();
      optimizer.dispose();
      disposeVariables(v);
    }
  });
});
