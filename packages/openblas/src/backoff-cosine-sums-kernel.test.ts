import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { BACKOFF_COSINE_SUMS_KERNEL, runBackoffCosineSumsKernel, tagParameter, untagParameter, type SignConstraint } from "@dale-nn/core";
import { ProjectedSGD } from "@dale-nn/projected-sgd";
import { useLeakCheck } from "@dale-nn/test-support";
import { openBlasForTests } from "./test-support/backends.js";

const blas = openBlasForTests();

/** Independent float64 sums of Alg. 6's cosine (no float32 rounding anywhere). */
function referenceSums(w: Float32Array, g: Float32Array, rate: number, projection: "none" | "nonneg" | "nonpos", measure: "update" | "parameter"): [number, number, number] {
  let dot = 0, aa = 0, bb = 0;
  for (let j = 0; j < w.length; j++) {
    const m = w[j]! - rate * g[j]!;
    const p = projection === "nonneg" ? Math.max(0, m) : projection === "nonpos" ? Math.min(0, m) : m;
    const a = measure === "update" ? p - w[j]! : p;
    const b = measure === "update" ? -rate * g[j]! : m;
    dot += a * b;
    aa += a * a;
    bb += b * b;
  }
  return [dot, aa, bb];
}

describe.skipIf(!blas.registered)("BACKOFF_COSINE_SUMS_KERNEL on OpenBLAS", () => {
  useLeakCheck();

  it("is registered, and its sums agree with an independent float64 implementation for every projection and measure (rel 1e-5)", async () => {
    await tf.setBackend(blas.name);
    expect(tf.getKernel(BACKOFF_COSINE_SUMS_KERNEL, blas.name)).toBeDefined();
    const rates = [0.5, 0.1, 0.02];
    for (const projection of ["none", "nonneg", "nonpos"] as const) {
      for (const measure of ["update", "parameter"] as const) {
        const sums = tf.tidy(() => {
          const w = tf.randomUniform([37, 23], -0.2, 0.6, "float32", 3);
          const g = tf.randomUniform([37, 23], -1, 1, "float32", 4);
          const out = runBackoffCosineSumsKernel({ w, g, rates: tf.tensor1d(rates) }, { projection, measure }).sums;
          return { w: w.dataSync() as Float32Array, g: g.dataSync() as Float32Array, out: out.arraySync() as number[][], shape: out.shape };
        });
        expect(sums.shape).toEqual([3, 3]);
        rates.forEach((r, i) => {
          const ref = referenceSums(sums.w, sums.g, r, projection, measure);
          for (let k = 0; k < 3; k++) expect(Math.abs(sums.out[i]![k]! - ref[k]!) / Math.max(1e-12, Math.abs(ref[k]!)), `${projection} ${measure} η=${r} sum ${k}`).toBeLessThan(1e-5);
        });
      }
    }
  });

  it("rejects mismatched shapes and an unknown projection, naming the kernel", async () => {
    await tf.setBackend(blas.name);
    expect(() => tf.tidy(() => runBackoffCosineSumsKernel({ w: tf.zeros([3]), g: tf.zeros([4]), rates: tf.tensor1d([1]) }, { projection: "nonneg", measure: "update" }))).toThrow(
      /DaleBackoffCosineSums_v1: gradient shape \[4\] must equal the weight shape \[3\]/,
    );
    expect(() => tf.tidy(() => runBackoffCosineSumsKernel({ w: tf.zeros([3]), g: tf.zeros([3]), rates: tf.tensor1d([1]) }, { projection: "sideways" as never, measure: "update" }))).toThrow(/unknown projection "sideways"/);
  });

  it("ProjectedSGD with Alg. 6 picks the same factors, cosines and weights on OpenBLAS (fused sums) as on the CPU backend (op by op)", async () => {
    const stepOn = async (backend: string) => {
      await tf.setBackend(backend);
      const make = (seed: number, constraint: SignConstraint, layer: string, shape: number[]) => {
        const init = tf.randomUniform(shape, constraint.kind === "nonpos" ? -1 : 0, constraint.kind === "nonpos" ? 0 : 1, "float32", seed);
        const v = tf.variable(init, true, `${backend}-${layer}-${seed}`);
        init.dispose();
        tagParameter(v, { role: "weight", constraint, layer, sizes: { d: shape[1] ?? 1, ne: shape[0]!, ni: 0 } });
        return v;
      };
      const vars = [make(1, { kind: "nonneg" }, "A", [40, 30]), make(2, { kind: "free" }, "A", [40, 1]), make(3, { kind: "nonpos" }, "B", [20, 40]), make(4, { kind: "nonneg" }, "C", [10, 20])];
      const opt = new ProjectedSGD({ learningRate: 0.8, lrBackoff: { minCosine: 0.95, factors: [1, 0.5, 0.25, 0.1, 0.05] } });
      const grads = tf.tidy(() => Object.fromEntries(vars.map((v, i) => [v.name, tf.randomUniform(v.shape, -1, 1, "float32", 10 + i)])));
      opt.applyGradients(grads);
      const result = { choice: opt.lastBackoff, weights: vars.map((v) => Array.from(v.dataSync())) };
      tf.dispose(Object.values(grads));
      opt.dispose();
      for (const v of vars) {
        untagParameter(v);
        v.dispose();
      }
      return result;
    };
    const fused = await stepOn(blas.name);
    const plain = await stepOn("cpu");
    expect(Object.keys(fused.choice).sort()).toEqual(["A", "B", "C"]);
    // Some layer must back off for the test to test anything.
    expect(Object.values(plain.choice).some((c) => c.factor < 1)).toBe(true);
    for (const layer of ["A", "B", "C"]) {
      expect(fused.choice[layer]!.factor, layer).toBe(plain.choice[layer]!.factor);
      expect(Math.abs(fused.choice[layer]!.cosine - plain.choice[layer]!.cosine), layer).toBeLessThan(1e-5);
    }
    fused.weights.forEach((w, i) => w.forEach((x, j) => expect(Math.abs(x - plain.weights[i]![j]!)).toBeLessThan(1e-6)));
  });
});
