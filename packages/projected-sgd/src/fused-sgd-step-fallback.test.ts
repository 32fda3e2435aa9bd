import "@tensorflow/tfjs"; // registers the backends whose tensors the leak check counts
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { PROJECTED_SGD_STEP_KERNEL, PROJECTED_SGD_STEP_KERNEL_FAMILY, versionedKernelName } from "@dale-nn/core";
import { ProjectedSGD } from "./projected-sgd.js";
import { constrainedStepValues } from "./internal/testing.js";
// Test code only, never packaged.
import { withKernels } from "../../core/src/test-support/failing-kernels.js";

const stepValues = (): number[][] => constrainedStepValues(() => new ProjectedSGD({ learningRate: 0.3 }));

describe("ProjectedSGD without this version of the fused step kernel", () => {
  useBackendWithLeakCheck("cpu");

  it("on cpu (no kernel) and on a backend with version 0 of the kernel, a step gives the separate ops' numbers", () => {
    const separate = stepValues();
    [0.2, 0.05, 0, 1.1].forEach((want, i) => expect(separate[0]![i]).toBeCloseTo(want, 6)); // max(w − 0.3 g, 0)
    expect(withKernels([versionedKernelName(PROJECTED_SGD_STEP_KERNEL_FAMILY, 0)], stepValues)).toEqual(separate);
  });

  it("with this version registered the optimiser does call it (so the check above is not vacuous)", () => {
    expect(() => withKernels([PROJECTED_SGD_STEP_KERNEL], stepValues)).toThrow(`${PROJECTED_SGD_STEP_KERNEL} must not be called`);
  });
});
