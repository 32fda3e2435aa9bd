import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useLeakCheck } from "@dale-nn/test-support";
import type { ParamMeta } from "@dale-nn/core";
import { clipGradientsByNorm } from "./clip-gradients-by-norm.js";

const meta = (layer: string): ParamMeta => ({ role: "free", constraint: { kind: "free" }, layer, sizes: { d: 1, ne: 1, ni: 0 } });
const metas: Record<string, ParamMeta> = { a: meta("L1"), b: meta("L1"), c: meta("L2") };
const metaOf = (name: string) => metas[name];

/** a = [3, 4] (norm 5) and b = [0, 0, 12] in layer L1 (norm 13); c = [6, 8] in L2 (norm 10); global norm sqrt(269). */
function grads() {
  return { a: tf.tensor1d([3, 4]), b: tf.tensor1d([0, 0, 12]), c: tf.tensor1d([6, 8]), d: tf.tensor1d([0.5]) };
}

function values(g: Record<string, tf.Tensor>): Record<string, number[]> {
  return Object.fromEntries(Object.entries(g).map(([k, t]) => [k, Array.from(t.dataSync())]));
}

function expectClose(actual: Record<string, number[]>, expected: Record<string, number[]>): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [k, xs] of Object.entries(expected)) xs.forEach((x, i) => expect(actual[k]![i]).toBeCloseTo(x, 5));
}

describe("clipGradientsByNorm (Alg. 5)", () => {
  useLeakCheck();

  it("clipGradientsByNorm(g, metaOf, {maxNorm: 5, scope: 'per-tensor'}) clips each tensor alone", () => {
    const g = grads();
    const out = clipGradientsByNorm(g, metaOf, { maxNorm: 5, scope: "per-tensor" });
    expectClose(values(out), { a: [3, 4], b: [0, 0, 5], c: [3, 4], d: [0.5] });
    tf.dispose([g, out]);
  });

  it("clipGradientsByNorm(g, metaOf, {maxNorm: 5, scope: 'per-layer'}) clips each meta.layer group; an untagged tensor is its own group", () => {
    const g = grads();
    const out = clipGradientsByNorm(g, metaOf, { maxNorm: 5, scope: "per-layer" });
    expectClose(values(out), { a: [15 / 13, 20 / 13], b: [0, 0, 60 / 13], c: [3, 4], d: [0.5] });
    tf.dispose([g, out]);
  });

  it("clipGradientsByNorm(g, metaOf, {maxNorm: 5, scope: 'global'}) scales everything by 5 / ||g||", () => {
    const g = grads();
    const s = 5 / Math.sqrt(25 + 144 + 100 + 0.25);
    const out = clipGradientsByNorm(g, metaOf, { maxNorm: 5, scope: "global" });
    expectClose(values(out), { a: [3 * s, 4 * s], b: [0, 0, 12 * s], c: [6 * s, 8 * s], d: [0.5 * s] });
    tf.dispose([g, out]);
  });

  it("clipGradientsByNorm leaves a group whose norm is at most M unchanged", () => {
    const g = grads();
    const out = clipGradientsByNorm(g, metaOf, { maxNorm: 100, scope: "global" });
    expect(values(out)).toEqual(values(g));
    tf.dispose([g, out]);
  });

  it("clipGradientsByNorm rejects maxNorm <= 0 or not finite, and an unknown scope, naming the value", () => {
    const g = grads();
    expect(() => clipGradientsByNorm(g, metaOf, { maxNorm: 0, scope: "global" })).toThrow("clipGradientsByNorm: maxNorm must be a finite number > 0; got 0");
    expect(() => clipGradientsByNorm(g, metaOf, { maxNorm: -1, scope: "global" })).toThrow(/got -1/);
    expect(() => clipGradientsByNorm(g, metaOf, { maxNorm: Number.NaN, scope: "global" })).toThrow(/got NaN/);
    expect(() => clipGradientsByNorm(g, metaOf, { maxNorm: 1, scope: "all" as "global" })).toThrow(
      'clipGradientsByNorm: scope must be one of "global", "per-layer", "per-tensor"; got "all"',
    );
    tf.dispose(g);
  });
});
