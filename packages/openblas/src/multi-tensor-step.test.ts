import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { randomGradients, useLeakCheck } from "@dale-nn/test-support";
import { MULTI_TENSOR_STEP_KERNEL, runMultiTensorStepKernel, tagParameter, untagParameter, type ParamMeta, type SignConstraint } from "@dale-nn/core";
import { dannUpdateCorrection } from "@dale-nn/fisher-correction";
import { ProjectedSGD, projected, projectedAdam, projectedMomentum } from "@dale-nn/projected-sgd";
import { openBlasForTests } from "./test-support/backends.js";

const blas = openBlasForTests();

/** The variables of one test: shapes, constraints and DANN roles (so the correction scales them by ≠ 1). */
const SPECS: ReadonlyArray<{ shape: number[]; meta: ParamMeta }> = [
  { shape: [7, 5], meta: { role: "EE", constraint: { kind: "nonneg" }, layer: "h1", sizes: { d: 5, ne: 7, ni: 2 } } },
  { shape: [2, 5], meta: { role: "IE", constraint: { kind: "nonneg" }, layer: "h1", sizes: { d: 5, ne: 7, ni: 2 } } },
  { shape: [7, 2], meta: { role: "EI", constraint: { kind: "nonneg" }, layer: "h1", sizes: { d: 5, ne: 7, ni: 2 } } },
  { shape: [2], meta: { role: "alpha", constraint: { kind: "free" }, layer: "h1", sizes: { d: 5, ne: 7, ni: 2 } } },
  { shape: [3, 4], meta: { role: "weight", constraint: { kind: "nonpos" }, layer: "h2", sizes: { d: 4, ne: 3, ni: 0 } } },
  { shape: [], meta: { role: "free", constraint: { kind: "free" }, layer: "h3", sizes: { d: 1, ne: 1, ni: 0 } } },
];

let counter = 0;

/** Steps `steps` times on seeded variables and gradients; returns every variable's final values. */
async function trainValues(backend: string, make: () => tf.Optimizer, steps: number): Promise<number[][]> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const run = counter++;
  const vars = SPECS.map((s, i) => {
    const init = tf.tidy(() => {
      const r = tf.randomNormal(s.shape, 0, 1, "float32", 10 + i);
      const c = s.meta.constraint as SignConstraint;
      return c.kind === "nonneg" ? tf.abs(r) : c.kind === "nonpos" ? tf.neg(tf.abs(r)) : r;
    });
    const v = tf.variable(init, true, `mts-${run}-${i}`);
    init.dispose();
    tagParameter(v, s.meta);
    return v;
  });
  const optimizer = make();
  for (let step = 0; step < steps; step++) {
    const grads = randomGradients(vars, 1000 + 100 * step, 2);
    optimizer.applyGradients(grads);
    tf.dispose(Object.values(grads));
  }
  const values = vars.map((v) => Array.from(v.dataSync()));
  optimizer.dispose();
  for (const v of vars) {
    untagParameter(v);
    v.dispose();
  }
  expect(tf.memory().numTensors, `${backend}: tensors leaked`).toBe(before);
  return values;
}

if (!blas.registered) {
  describe("the multi-tensor step without the addon", () => {
    it("is reported unavailable", () => expect(blas.notice).toMatch(/^OpenBLAS backend unavailable: /));
  });
} else {
  describe("the multi-tensor optimiser step (DaleMultiTensorStep_v1) on the OpenBLAS backend", () => {
    useLeakCheck();

    const cases: Record<string, () => tf.Optimizer> = {
      "ProjectedSGD": () => new ProjectedSGD({ learningRate: 0.05 }),
      "ProjectedSGD + DANN correction (scales folded into the kernel)": () => new ProjectedSGD({ learningRate: 0.05, transforms: [dannUpdateCorrection()] }),
      "ProjectedSGD + correction + clipping (transforms run, scale 1)": () =>
        new ProjectedSGD({ learningRate: 0.05, transforms: [dannUpdateCorrection()], clipNorm: { maxNorm: 1, scope: "per-layer" } }),
      "projected(tf.train.sgd)": () => projected(tf.train.sgd(0.05), { transforms: [dannUpdateCorrection()] }),
      "projectedMomentum": () => projectedMomentum({ learningRate: 0.05, momentum: 0.9 }),
      "projectedMomentum, Nesterov": () => projectedMomentum({ learningRate: 0.05, momentum: 0.8, useNesterov: true, transforms: [dannUpdateCorrection()] }),
      "projectedAdam": () => projectedAdam({ learningRate: 0.01 }),
      "projectedAdam + DANN correction": () => projectedAdam({ learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, transforms: [dannUpdateCorrection()] }),
    };
    for (const [name, make] of Object.entries(cases)) {
      it(`${name}: 4 steps give the plain CPU backend's separate ops bit for bit, signs kept`, async () => {
        const plain = await trainValues("cpu", make, 4);
        const fused = await trainValues(blas.name, make, 4);
        expect(fused).toEqual(plain);
        SPECS.forEach((s, i) => {
          if (s.meta.constraint.kind === "nonneg") expect(Math.min(...fused[i]!), `${i}`).toBeGreaterThanOrEqual(0);
          if (s.meta.constraint.kind === "nonpos") expect(Math.max(...fused[i]!), `${i}`).toBeLessThanOrEqual(0);
        });
        expect(plain[0]).not.toEqual(fused[0]!.map(() => 0)); // moved, and not to zero
      });
    }

    it("the optimiser calls the kernel once per step for all variables", async () => {
      await tf.setBackend(blas.name);
      const inits = [tf.ones([3, 2]), tf.ones([2])];
      const vars = inits.map((t) => tf.variable(t));
      tf.dispose(inits);
      const optimizer = new ProjectedSGD({ learningRate: 0.1 });
      const x = tf.ones([1, 3]);
      const profile = await tf.profile(() => void optimizer.minimize(() => tf.sum(tf.add(tf.matMul(x, vars[0]!), vars[1]!)), false, vars));
      expect(profile.kernels.filter((k) => k.name === MULTI_TENSOR_STEP_KERNEL)).toHaveLength(1);
      optimizer.dispose();
      tf.dispose([...vars, x]);
    });

    it("updates a weight in its own buffer once nothing else holds it; a clone or an array read before keeps the old values", async () => {
      await tf.setBackend(blas.name);
      const init = tf.tensor1d([1, 2, 3]);
      const w = tf.variable(init);
      const optimizer = new ProjectedSGD({ learningRate: 0.5 });
      const g = tf.tensor1d([1, 1, 1]);
      const step = () => optimizer.applyGradients({ [w.name]: g });
      step(); // init still holds the first buffer: a new one
      expect(Array.from(init.dataSync())).toEqual([1, 2, 3]);
      init.dispose();
      const id1 = w.dataId;
      const read = w.dataSync();
      step(); // in place
      expect(w.dataId).toBe(id1);
      expect(Array.from(read)).toEqual([0.5, 1.5, 2.5]);
      expect(Array.from(w.dataSync())).toEqual([0, 1, 2]);
      const snapshot = tf.clone(w);
      step(); // the clone shares the buffer: a new one
      expect(w.dataId).not.toBe(id1);
      expect(Array.from(snapshot.dataSync())).toEqual([0, 1, 2]);
      expect(Array.from(w.dataSync())).toEqual([-0.5, 0.5, 1.5]);
      tf.dispose([snapshot, g, w]);
      optimizer.dispose();
    });

    it("with inPlace false, or with the pool off, the outputs are new buffers with the same values", async () => {
      await tf.setBackend(blas.name);
      const [a, b] = [false, true].map((inPlace) =>
        tf.tidy(() => {
          const w = tf.add(tf.tensor1d([1, -2, 3]), 0);
          const { updated } = runMultiTensorStepKernel([{ w, g: tf.tensor1d([2, 2, 2]), state: [] }], {
            method: "sgd", learningRates: [0.25], gradScales: [2], projections: ["nonneg"], inPlace,
          });
          if (!inPlace) expect(updated[0]!.dataId).not.toBe(w.dataId);
          return Array.from(updated[0]!.dataSync());
        }),
      );
      expect(a).toEqual([0, 0, 2]);
      expect(b).toEqual(a);
    });

    it("bad input: one line naming the value and the expectation", async () => {
      await tf.setBackend(blas.name);
      tf.tidy(() => {
        const w = tf.ones([2, 3]);
        const base = { method: "sgd" as const, learningRates: [0.1], gradScales: [1], projections: ["none" as const], inPlace: false };
        expect(() => runMultiTensorStepKernel([{ w, g: tf.ones([3, 2]), state: [] }], base)).toThrow(/gradient 0 has shape \[3,2\]; its weight has \[2,3\]/);
        expect(() => runMultiTensorStepKernel([{ w, g: tf.ones([2, 3], "int32"), state: [] }], base)).toThrow(/g0 must be float32; got int32/);
        expect(() => runMultiTensorStepKernel([{ w, g: tf.ones([2, 3]), state: [] }], { ...base, learningRates: [] })).toThrow(/learningRates must have one entry per variable \(1\); got 0/);
        expect(() => runMultiTensorStepKernel([{ w, g: tf.ones([2, 3]), state: [] }], { ...base, method: "lion" as never })).toThrow(/unknown method "lion"/);
        expect(() => runMultiTensorStepKernel([{ w, g: tf.ones([2, 3]), state: [] }], { ...base, method: "adam" })).toThrow(/adam keeps 2 state tensor\(s\) per variable; entry 0 has 0/);
        expect(() => runMultiTensorStepKernel([{ w, g: tf.ones([2, 3]), state: [] }], { ...base, projections: ["up" as never] })).toThrow(/projections\[0\] is "up"; expected none, nonneg or nonpos/);
        expect(() => runMultiTensorStepKernel([{ w, g: tf.ones([2, 3]), state: [] }], { ...base, learningRates: [Number.NaN] })).toThrow(/learningRates\[0\] and gradScales\[0\] must be finite; got NaN, 1/);
      });
    });
  });
}
