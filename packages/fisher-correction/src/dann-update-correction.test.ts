import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useLeakCheck } from "@dale-nn/test-support";
import { parameterMeta, type ParamMeta } from "@dale-nn/ei-layers";
import { dannCorrectionScale, dannUpdateCorrection } from "./dann-update-correction.js";
import { taggedDannLayer, taggedLinearLayer } from "./internal/test-fixtures.js";

const meta = (role: ParamMeta["role"], sizes = { d: 784, ne: 500, ni: 50 }): ParamMeta => ({
  role,
  constraint: { kind: "free" },
  layer: "h1",
  sizes,
});

describe("dannCorrectionScale", () => {
  it("dannCorrectionScale(meta) is 1/√ne for IE, 1/d for EI, 1/(d√ne) for alpha and 1 otherwise (Alg. 3)", () => {
    expect(dannCorrectionScale(meta("IE"))).toBeCloseTo(1 / Math.sqrt(500), 15);
    expect(dannCorrectionScale(meta("EI"))).toBeCloseTo(1 / 784, 15);
    expect(dannCorrectionScale(meta("alpha"))).toBeCloseTo(1 / (784 * Math.sqrt(500)), 15);
    for (const role of ["EE", "gain", "bias", "weight", "free"] as const) expect(dannCorrectionScale(meta(role))).toBe(1);
    expect(dannCorrectionScale(meta("IE"), "feedforward")).toBe(dannCorrectionScale(meta("IE")));
  });

  it("dannCorrectionScale rejects sizes it divides by when they are < 1, an unknown role and an unknown variant", () => {
    expect(() => dannCorrectionScale(meta("IE", { d: 10, ne: 0, ni: 1 }))).toThrow(/role IE of layer "h1" needs sizes.ne to be an integer >= 1; got 0/);
    expect(() => dannCorrectionScale(meta("EI", { d: 0, ne: 5, ni: 1 }))).toThrow(/sizes.d to be an integer >= 1; got 0/);
    expect(() => dannCorrectionScale(meta("alpha", { d: 3, ne: 2.5, ni: 1 }))).toThrow(/sizes.ne .* got 2.5/);
    // EE does not divide by anything, so ne = 0 is fine for it.
    expect(dannCorrectionScale(meta("EE", { d: 3, ne: 0, ni: 0 }))).toBe(1);
    expect(() => dannCorrectionScale({ ...meta("EE"), role: "WEE" as ParamMeta["role"] })).toThrow(/unknown parameter role "WEE"/);
    // @ts-expect-error testing a bad variant
    expect(() => dannCorrectionScale(meta("IE"), "recurrent")).toThrow(/unknown variant "recurrent"; expected one of "feedforward"/);
  });
});

describe("dannUpdateCorrection", () => {
  useLeakCheck();

  it("dannUpdateCorrection().apply(grads, parameterMeta) scales each tagged DANN gradient by its role's factor", () => {
    const sizes = { d: 6, ne: 4, ni: 2 };
    const layer = taggedDannLayer(sizes, 1);
    const lin = taggedLinearLayer({ d: 4, ne: 3 }, 2);
    const grads: Record<string, tf.Tensor> = {};
    for (const v of [...layer.variables, lin.w, lin.b]) grads[v.name] = tf.randomNormal(v.shape, 0, 1, "float32", 7);
    const untagged = tf.tensor1d([1, 2, 3]);
    grads["not_tagged"] = untagged;

    const transform = dannUpdateCorrection();
    expect(transform.name).toBe("dann-heuristic");
    const out = transform.apply(grads, parameterMeta);

    const expected: Record<string, number> = {
      [layer.names.EE]: 1,
      [layer.names.IE]: 1 / Math.sqrt(4),
      [layer.names.EI]: 1 / 6,
      [layer.names.alpha]: 1 / (6 * Math.sqrt(4)),
      [layer.names.gain]: 1,
      [layer.names.bias]: 1,
      [lin.w.name]: 1,
      [lin.b.name]: 1,
      not_tagged: 1,
    };
    expect(Object.keys(out).sort()).toEqual(Object.keys(grads).sort());
    for (const [name, factor] of Object.entries(expected)) {
      const g = grads[name] as tf.Tensor;
      const o = out[name] as tf.Tensor;
      expect(o.shape).toEqual(g.shape);
      const gv = g.dataSync();
      const ov = o.dataSync();
      for (let i = 0; i < gv.length; i++) expect(ov[i]).toBeCloseTo((gv[i] as number) * factor, 6);
      // Factor-1 gradients are passed through as the same tensor; scaled ones are new tensors.
      expect(o === g).toBe(factor === 1);
    }
    // Inputs are not disposed.
    for (const g of Object.values(grads)) expect(g.isDisposed).toBe(false);

    for (const [name, o] of Object.entries(out)) if (o !== grads[name]) o.dispose();
    tf.dispose(Object.values(grads));
    layer.dispose();
    lin.dispose();
  });

  it("dannUpdateCorrection().apply is driven by roles and sizes from metaOf, not by names", () => {
    const g = tf.ones([2, 3]);
    const out = dannUpdateCorrection().apply({ anything: g }, () => ({
      role: "EI",
      constraint: { kind: "nonneg" },
      layer: "x",
      sizes: { d: 8, ne: 5, ni: 2 },
    }));
    expect(Array.from((out["anything"] as tf.Tensor).dataSync())).toEqual(new Array(6).fill(1 / 8));
    tf.dispose([g, out["anything"] as tf.Tensor]);
  });

  it("dannUpdateCorrection().apply creates no tensors besides its outputs (no leaks inside an outer tidy either)", () => {
    const layer = taggedDannLayer({ d: 5, ne: 3, ni: 2 }, 3);
    const grads = Object.fromEntries(layer.variables.map((v) => [v.name, tf.onesLike(v)]));
    const before = tf.memory().numTensors;
    const out = dannUpdateCorrection().apply(grads, parameterMeta);
    // Three roles are scaled (IE, EI, alpha): exactly three new tensors.
    expect(tf.memory().numTensors).toBe(before + 3);
    for (const [name, o] of Object.entries(out)) if (o !== grads[name]) o.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.tidy(() => {
      dannUpdateCorrection().apply(grads, parameterMeta);
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(grads));
    layer.dispose();
  });

  it("dannUpdateCorrection throws on an unknown variant, and apply throws before making tensors on bad meta", () => {
    // @ts-expect-error testing a bad variant
    expect(() => dannUpdateCorrection({ variant: "rnn" })).toThrow(/dannUpdateCorrection: unknown variant "rnn"/);
    const g = tf.ones([2]);
    const before = tf.memory().numTensors;
    expect(() =>
      dannUpdateCorrection().apply({ a: g }, () => ({ role: "alpha", constraint: { kind: "free" }, layer: "L", sizes: { d: 0, ne: 4, ni: 2 } })),
    ).toThrow(/role alpha of layer "L" needs sizes.d/);
    expect(tf.memory().numTensors).toBe(before);
    g.dispose();
  });

  it("dannUpdateCorrection().getConfig() names the transform and its variant", () => {
    expect(dannUpdateCorrection().getConfig?.()).toEqual({ name: "dann-heuristic", variant: "feedforward" });
  });
});
