import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { CtEiRnn } from "@dale-nn/ei-layers";
import { projectToConstraints } from "./project-to-constraints.js";
import { signViolations } from "./sign-violations.js";
import { projectedAdam } from "./projected-adam.js";

// The continuous-time E/I RNN of @dale-nn/ei-layers under this package's projection (here rather
// than in ei-layers, which projected-sgd's tests already depend on).
describe("CtEiRnn under the sign-constraint projection", () => {
  useBackendWithLeakCheck("cpu", { disposeVariables: true });

  it("Dale columns keep their signs through Adam steps: by construction under 'abs', by projectToConstraints under 'projected'", () => {
    const x = tf.randomUniform([4, 6, 3], 0, 1, "float32", 1);
    for (const daleParametrisation of ["abs", "projected"] as const) {
      const layer = new CtEiRnn({ units: 10, outputs: 2, seed: 2, daleParametrisation, noise: false });
      layer.build([null, 6, 3]);
      const opt = tf.train.adam(0.05);
      for (let s = 0; s < 5; s++) {
        opt.minimize(() => tf.neg(tf.sum(tf.square(layer.apply(x) as tf.Tensor))) as tf.Scalar);
        if (daleParametrisation === "projected") projectToConstraints(layer);
      }
      const wRec = layer.effectiveRecurrentWeight();
      const m = wRec.arraySync();
      for (let i = 0; i < 10; i++) {
        expect(Math.abs(m[i]![i]!)).toBe(0);
        for (let j = 0; j < 10; j++) (j < 8 ? expect(m[i]![j]).toBeGreaterThanOrEqual(0) : expect(m[i]![j]).toBeLessThanOrEqual(0));
      }
      expect(Object.values(signViolations(layer)).reduce((a, b) => a + b, 0)).toBe(0);
      opt.dispose();
      wRec.dispose();
    }
    x.dispose();
  });

  it("projectedAdam keeps a 'projected' CtEiRnn's Dale columns and non-negative inputs after every step", () => {
    const x = tf.randomUniform([4, 6, 3], 0, 1, "float32", 1);
    const layer = new CtEiRnn({ units: 10, outputs: 2, seed: 2, daleParametrisation: "projected", noise: false });
    layer.build([null, 6, 3]);
    const opt = projectedAdam({ learningRate: 0.05 });
    for (let s = 0; s < 5; s++) {
      opt.minimize(() => tf.neg(tf.sum(tf.square(layer.apply(x) as tf.Tensor))) as tf.Scalar);
      expect(Object.values(signViolations(layer)).reduce((a, b) => a + b, 0)).toBe(0);
    }
    opt.dispose();
    x.dispose();
  });

});
