import * as tf from "@tensorflow/tfjs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { tagParameter, type ParamMeta } from "@dale-nn/core";
import { ProjectedSGD } from "@dale-nn/projected-sgd";
import { SUPP5_GRADIENT_NORMALISATION, SUPP5_LR_SCALING, UpdateControlMonitor, updateControlOptions } from "./update-control.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const meta = (layer: string): ParamMeta => ({ layer, role: "weight", constraint: { kind: "nonneg" }, sizes: { d: 2, ne: 2, ni: 0 } });

describe("UpdateControlMonitor", () => {
  afterEach(() => tf.disposeVariables());

  it("gradient normalisation: counts the sampled layers whose gradient norm (over all of a layer's tensors) exceeds M, every `every` updates, and leaves the gradients alone", () => {
    const monitor = new UpdateControlMonitor({ kind: "gradient-normalisation", maxNorm: 2 }, 2);
    const metaOf = (name: string): ParamMeta | undefined => (name.startsWith("a") ? meta("A") : meta("B"));
    const before = tf.memory().numTensors;
    // Layer A: ||(3, 0), (0, 0)|| = 3 > 2 with a second tensor (1.5, 0) -> sqrt(9 + 2.25); layer B: 1 <= 2.
    const grads = { a1: tf.tensor1d([3, 0]), a2: tf.tensor1d([1.5, 0]), b1: tf.tensor1d([0.6, 0.8]) };
    for (let k = 0; k < 4; k++) expect(monitor.transform.apply(grads, metaOf)).toBe(grads);
    // Calls 0 and 2 sampled: 2 updates x 2 layers, A engaged both times.
    expect(monitor.record()).toEqual({ control: { kind: "gradient-normalisation", maxNorm: 2 }, sampledUpdates: 2, engagedFraction: 0.5 });
    Object.values(grads).forEach((g) => g.dispose());
    expect(tf.memory().numTensors).toBe(before);
  });

  it("learning-rate scaling: reads the factors ProjectedSGD's Alg. 6 chose, and counts the layer steps it backed off", () => {
    const monitor = new UpdateControlMonitor(SUPP5_LR_SCALING, 1);
    // One layer whose weights sit near 0: a step of 1 along +x would cross zero in one coordinate.
    const near = tf.variable(tf.tensor1d([0.05, 1]), true, "near");
    tagParameter(near, meta("L1"));
    const far = tf.variable(tf.tensor1d([5, 5]), true, "far");
    tagParameter(far, meta("L2"));
    const opt = new ProjectedSGD({ learningRate: 1, transforms: [monitor.transform], ...updateControlOptions(SUPP5_LR_SCALING) });
    monitor.watch(opt);
    const grads = { near: tf.tensor1d([0.5, 0.5]), far: tf.tensor1d([0.5, 0.5]) };
    opt.applyGradients(grads); // first call: no previous choice to read
    expect(monitor.record().sampledUpdates).toBe(0);
    expect(opt.lastBackoff["L1"]?.factor).toBe(0.0625); // 0.05 - 0.5 · f >= 0 first at f = 1/16
    expect(opt.lastBackoff["L2"]?.factor).toBe(1);
    opt.applyGradients(grads); // reads the first step's choice
    expect(monitor.record()).toMatchObject({ sampledUpdates: 1, engagedFraction: 0.5 });
    Object.values(grads).forEach((g) => g.dispose());
    opt.dispose();
  });

  it("updateControlOptions maps Alg. 5 to per-layer clipping and Alg. 6 to lrBackoff; a bad sampling interval is refused", () => {
    expect(updateControlOptions(SUPP5_GRADIENT_NORMALISATION)).toEqual({ clipNorm: { maxNorm: 2, scope: "per-layer" } });
    expect(updateControlOptions(SUPP5_LR_SCALING)).toEqual({ lrBackoff: { minCosine: 0.999, factors: [1, 0.5, 0.25, 0.125, 0.0625], measure: "update" } });
    expect(() => new UpdateControlMonitor(SUPP5_LR_SCALING, 0)).toThrow("UpdateControlMonitor: every must be an integer >= 1; got 0");
  });
});
