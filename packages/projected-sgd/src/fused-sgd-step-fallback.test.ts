import * as tf from "@tensorflow/tfjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PROJECTED_SGD_STEP_KERNEL, PROJECTED_SGD_STEP_KERNEL_FAMILY, versionedKernelName, type SignConstraint } from "@dale-nn/core";
import { ProjectedSGD } from "./projected-sgd.js";
import { disposeVariables, taggedVariable } from "./internal/testing.js";
// Test code only, never packaged.
import { withKernels } from "../../core/src/test-support/failing-kernels.js";

/** One ProjectedSGD step on a nonneg, a nonpos and a free variable; the new values. */
function stepValues(): number[][] {
  const constraints: SignConstraint[] = [{ kind: "nonneg" }, { kind: "nonpos" }, { kind: "free" }];
  const vars = constraints.map((c) => taggedVariable([0.5, -0.25, 0.1, 2], c));
  const optimizer = new ProjectedSGD({ learningRate: 0.3 });
  const grads = Object.fromEntries(vars.map((v) => [v.name, tf.tensor1d([1, -1, 0.5, 3])]));
  try {
    optimizer.applyGradients(grads);
    return vars.map((v) => Array.from(v.dataSync()));
  } finally {
    tf.dispose(Object.values(grads));
    optimizer.dispose();
    disposeVariables(...vars);
  }
}

describe("ProjectedSGD without this version of the fused step kernel", () => {
  let before = 0;
  beforeEach(async () => {
    await tf.setBackend("cpu");
    before = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(before);
  });

  it("on cpu (no kernel) and on a backend with version 0 of the kernel, a step gives the separate ops' numbers", () => {
    const separate = stepValues();
    [0.2, 0.05, 0, 1.1].forEach((want, i) => expect(separate[0]![i]).toBeCloseTo(want, 6)); // max(w − 0.3 g, 0)
    expect(withKernels([versionedKernelName(PROJECTED_SGD_STEP_KERNEL_FAMILY, 0)], stepValues)).toEqual(separate);
  });

  it("with this version registered the optimiser does call it (so the check above is not vacuous)", () => {
    expect(() => withKernels([PROJECTED_SGD_STEP_KERNEL], stepValues)).toThrow(`${PROJECTED_SGD_STEP_KERNEL} must not be called`);
  });
});
