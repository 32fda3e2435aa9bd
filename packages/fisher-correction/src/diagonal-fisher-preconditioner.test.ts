import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { randomGradients, useLeakCheck } from "@dale-nn/test-support";
import { createRandomSource, type RandomSource } from "@dale-nn/ei-init";
import { dannDense, parameterMeta } from "@dale-nn/ei-layers";
import {
  DEFAULT_FISHER_EPS,
  DEFAULT_FISHER_LAMBDA,
  DEFAULT_FISHER_MOMENTUM,
  DiagonalFisherPreconditioner,
} from "./diagonal-fisher-preconditioner.js";
import { sampledFisherDiagonal } from "./sampled-fisher-diagonal.js";
import { nonNegativeInput, taggedDannLayer, taggedLinearLayer } from "./internal/test-fixtures.js";

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel = 1e-5, abs = 0): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (!(Math.abs(a - e) <= abs + rel * Math.abs(e))) throw new Error(`element ${i}: got ${a}, expected ${e}`);
  }
}

/** A two-layer model: DANN hidden layer (ReLU) then a plain linear softmax readout. */
function twoLayerModel(seed: number) {
  const hidden = taggedDannLayer({ d: 6, ne: 5, ni: 2 }, seed);
  const readout = taggedLinearLayer({ d: 5, ne: 3 }, seed + 1);
  const logits = (x: tf.Tensor2D) =>
    tf.tidy(() => tf.add(tf.matMul(tf.relu(dannDense(x, hidden.params)), readout.w, false, true), readout.b) as tf.Tensor2D);
  const variables = [...hidden.variables, readout.w, readout.b];
  return {
    hidden,
    readout,
    logits,
    variables,
    dispose() {
      hidden.dispose();
      readout.dispose();
    },
  };
}

function disposeOutputs(out: Record<string, tf.Tensor>, inputs: Record<string, tf.Tensor>): void {
  for (const [name, t] of Object.entries(out)) if (t !== inputs[name]) t.dispose();
}

describe("DiagonalFisherPreconditioner", () => {
  useLeakCheck();

  it("new DiagonalFisherPreconditioner({...}) defaults to λ = 40000, k = 0.02, eps = 1e-8 and 'inverse-fisher' normalisation", () => {
    const m = twoLayerModel(1);
    const f = new DiagonalFisherPreconditioner({ logits: m.logits, variables: m.variables, seed: 0 });
    expect([f.lambda, f.momentum, f.eps, f.normaliseByEENorm]).toEqual([40_000, 0.02, 1e-8, "inverse-fisher"]);
    expect([DEFAULT_FISHER_LAMBDA, DEFAULT_FISHER_MOMENTUM, DEFAULT_FISHER_EPS]).toEqual([40_000, 0.02, 1e-8]);
    expect(f.asTransform().getConfig?.()).toEqual({
      name: "diagonal-fisher",
      lambda: 40_000,
      momentum: 0.02,
      eps: 1e-8,
      normaliseByEENorm: "inverse-fisher",
    });
    expect(new DiagonalFisherPreconditioner({ logits: m.logits, variables: m.variables, seed: 0, normaliseByEENorm: true }).normaliseByEENorm).toBe(
      "inverse-fisher",
    );
    f.dispose();
    m.dispose();
  });

  it("observe(x) sets F_1 = F̂ and then F_t = k F̂_t + (1 − k) F_{t−1} (Alg. 4)", () => {
    const m = twoLayerModel(2);
    const x1 = nonNegativeInput(8, 6, 3);
    const x2 = nonNegativeInput(8, 6, 4);
    const k = 0.3;
    const lambda = 2;
    const f = new DiagonalFisherPreconditioner({ logits: m.logits, variables: m.variables, seed: 5, lambda, momentum: k });
    expect(f.fisherDiagonal(m.hidden.names.EE)).toBeUndefined();
    const t1 = f.observe(x1);
    // The same seeded stream, drawn in the same order, reproduces both estimates.
    const rng = createRandomSource(5);
    const e1 = sampledFisherDiagonal({ logits: m.logits, variables: m.variables, x: x1, rng, lambda });
    expect(Array.from(t1)).toEqual(Array.from(e1.targets));
    for (const v of m.variables) {
      expect(Array.from((f.fisherDiagonal(v.name) as tf.Tensor).dataSync())).toEqual(Array.from((e1.diagonal[v.name] as tf.Tensor).dataSync()));
    }
    f.observe(x2);
    expect(f.observations).toBe(2);
    const e2 = sampledFisherDiagonal({ logits: m.logits, variables: m.variables, x: x2, rng, lambda });
    for (const v of m.variables) {
      const a = (e1.diagonal[v.name] as tf.Tensor).dataSync();
      const b = (e2.diagonal[v.name] as tf.Tensor).dataSync();
      expectClose(
        (f.fisherDiagonal(v.name) as tf.Tensor).dataSync(),
        Array.from(b, (bi, i) => k * bi + (1 - k) * (a[i] as number)),
        1e-5,
        1e-12,
      );
    }
    tf.dispose([...Object.values(e1.diagonal), ...Object.values(e2.diagonal), x1, x2]);
    f.dispose();
    m.dispose();
  });

  it("observe(x) uses the estimate option instead of the per-example loop, with the preconditioner's random stream and λ, and rejects an estimate that misses a variable", () => {
    const m = twoLayerModel(6);
    const x = nonNegativeInput(8, 6, 7);
    const calls: Array<{ lambda: number }> = [];
    // An estimator of the same F̂ (here the loop itself, so the result is known) that records its calls.
    const estimate = (xb: tf.Tensor2D, rng: RandomSource, lambda: number) => {
      calls.push({ lambda });
      return sampledFisherDiagonal({ logits: m.logits, variables: m.variables, x: xb, rng, lambda });
    };
    const f = new DiagonalFisherPreconditioner({ logits: m.logits, variables: m.variables, seed: 9, lambda: 3, estimate });
    const targets = f.observe(x);
    expect(calls).toEqual([{ lambda: 3 }]);
    const expected = sampledFisherDiagonal({ logits: m.logits, variables: m.variables, x, rng: createRandomSource(9), lambda: 3 });
    expect(Array.from(targets)).toEqual(Array.from(expected.targets));
    for (const v of m.variables) expect(Array.from((f.fisherDiagonal(v.name) as tf.Tensor).dataSync())).toEqual(Array.from((expected.diagonal[v.name] as tf.Tensor).dataSync()));
    const partial = new DiagonalFisherPreconditioner({
      logits: m.logits,
      variables: m.variables,
      seed: 9,
      estimate: (xb, rng, lambda) => {
        const full = sampledFisherDiagonal({ logits: m.logits, variables: m.variables, x: xb, rng, lambda });
        full.diagonal[m.readout.b.name]!.dispose();
        delete full.diagonal[m.readout.b.name];
        return full;
      },
    });
    expect(() => partial.observe(x)).toThrow(new RegExp(`the estimate has no F̂ for "${m.readout.b.name}"`));
    expect(() => new DiagonalFisherPreconditioner({ logits: m.logits, variables: m.variables, seed: 0, estimate: 3 as never })).toThrow(/estimate must be a function/);
    tf.dispose([...Object.values(expected.diagonal), x]);
    f.dispose();
    partial.dispose();
    m.dispose();
  });

  it("asTransform().apply without normalisation gives Δθ = ∇θ / (F_t + eps) and passes unknown gradients through", () => {
    const m = twoLayerModel(3);
    const x = nonNegativeInput(6, 6, 7);
    const eps = 1e-3;
    const f = new DiagonalFisherPreconditioner({ logits: m.logits, variables: m.variables, seed: 1, eps, normaliseByEENorm: false });
    f.observe(x);
    const grads = randomGradients(m.variables, 10);
    const other = tf.tensor1d([1, 2]);
    grads["other"] = other;
    const transform = f.asTransform();
    expect(transform.name).toBe("diagonal-fisher");
    const out = transform.apply(grads, parameterMeta);
    expect(out["other"]).toBe(other);
    for (const v of m.variables) {
      const g = (grads[v.name] as tf.Tensor).dataSync();
      const F = (f.fisherDiagonal(v.name) as tf.Tensor).dataSync();
      expectClose((out[v.name] as tf.Tensor).dataSync(), Array.from(g, (gi, i) => gi / ((F[i] as number) + eps)), 1e-5);
    }
    for (const g of Object.values(grads)) expect(g.isDisposed).toBe(false);
    disposeOutputs(out, grads);
    tf.dispose([...Object.values(grads), x]);
    f.dispose();
    m.dispose();
  });

  it("asTransform() with 'inverse-fisher' divides each layer by ‖(F_EE + eps)⁻¹‖ (the readout, with no EE, by its weight block)", () => {
    const m = twoLayerModel(4);
    const x = nonNegativeInput(6, 6, 8);
    const eps = 1e-4;
    const f = new DiagonalFisherPreconditioner({ logits: m.logits, variables: m.variables, seed: 2, eps, lambda: 1, normaliseByEENorm: "inverse-fisher" });
    f.observe(x);
    const grads = randomGradients(m.variables, 20);
    const out = f.asTransform().apply(grads, parameterMeta);
    const invNorm = (name: string) => Math.sqrt(Array.from((f.fisherDiagonal(name) as tf.Tensor).dataSync(), (F) => (1 / (F + eps)) ** 2).reduce((a, b) => a + b));
    const hiddenNorm = invNorm(m.hidden.names.EE);
    const readoutNorm = invNorm(m.readout.w.name);
    for (const v of m.variables) {
      const norm = m.hidden.variables.includes(v) ? hiddenNorm : readoutNorm;
      const g = (grads[v.name] as tf.Tensor).dataSync();
      const F = (f.fisherDiagonal(v.name) as tf.Tensor).dataSync();
      expectClose((out[v.name] as tf.Tensor).dataSync(), Array.from(g, (gi, i) => gi / ((F[i] as number) + eps) / norm), 1e-4);
    }
    // The EE block of (F + eps)⁻¹ now has unit norm.
    const unitNorm = Math.sqrt(
      Array.from((f.fisherDiagonal(m.hidden.names.EE) as tf.Tensor).dataSync(), (F) => (1 / (F + eps) / hiddenNorm) ** 2).reduce((a, b) => a + b),
    );
    expect(unitNorm).toBeCloseTo(1, 6);
    disposeOutputs(out, grads);
    tf.dispose([...Object.values(grads), x]);
    f.dispose();
    m.dispose();
  });

  it("asTransform() with 'update' divides each layer's Δθ by the L2 norm of its EE (else weight) part", () => {
    const m = twoLayerModel(5);
    const x = nonNegativeInput(6, 6, 9);
    const f = new DiagonalFisherPreconditioner({ logits: m.logits, variables: m.variables, seed: 3, lambda: 1, eps: 1e-4, normaliseByEENorm: "update" });
    f.observe(x);
    const grads = randomGradients(m.variables, 30);
    const out = f.asTransform().apply(grads, parameterMeta);
    const plain = new DiagonalFisherPreconditioner({ logits: m.logits, variables: m.variables, seed: 3, lambda: 1, eps: 1e-4, normaliseByEENorm: false });
    plain.observe(x);
    const raw = plain.asTransform().apply(grads, parameterMeta);
    const norm = (name: string) => Math.sqrt(Array.from((raw[name] as tf.Tensor).dataSync(), (v) => v * v).reduce((a, b) => a + b));
    for (const v of m.variables) {
      const n = m.hidden.variables.includes(v) ? norm(m.hidden.names.EE) : norm(m.readout.w.name);
      expectClose((out[v.name] as tf.Tensor).dataSync(), Array.from((raw[v.name] as tf.Tensor).dataSync(), (r) => r / n), 1e-4);
    }
    const eeNorm = Math.sqrt(Array.from((out[m.hidden.names.EE] as tf.Tensor).dataSync(), (v) => v * v).reduce((a, b) => a + b));
    expect(eeNorm).toBeCloseTo(1, 5);
    disposeOutputs(out, grads);
    disposeOutputs(raw, grads);
    tf.dispose([...Object.values(grads), x]);
    f.dispose();
    plain.dispose();
    m.dispose();
  });

  it("repeated observe(x) and apply calls leak no tensors; F survives an outer tidy; dispose() frees F", () => {
    const m = twoLayerModel(6);
    const x = nonNegativeInput(5, 6, 10);
    const grads = randomGradients(m.variables, 40);
    const base = tf.memory().numTensors;
    const f = new DiagonalFisherPreconditioner({ logits: m.logits, variables: m.variables, seed: 4 });
    f.observe(x);
    const held = tf.memory().numTensors;
    expect(held).toBe(base + m.variables.length);
    for (let i = 0; i < 5; i++) {
      tf.tidy(() => {
        f.observe(x);
        f.asTransform().apply(grads, parameterMeta);
      });
      expect(tf.memory().numTensors).toBe(held);
    }
    expect((f.fisherDiagonal(m.hidden.names.EE) as tf.Tensor).isDisposed).toBe(false);
    f.dispose();
    expect(tf.memory().numTensors).toBe(base);
    expect(() => f.observe(x)).toThrow(/observe: the preconditioner has been disposed/);
    expect(() => f.asTransform().apply(grads, parameterMeta)).toThrow(/apply: the preconditioner has been disposed/);
    tf.dispose([...Object.values(grads), x]);
    m.dispose();
  });

  it("DiagonalFisherPreconditioner rejects λ <= 0, eps < 0, momentum outside (0, 1], bad normalisation, and applying before observe", () => {
    const m = twoLayerModel(7);
    const base = { logits: m.logits, variables: m.variables, seed: 0 };
    expect(() => new DiagonalFisherPreconditioner({ ...base, lambda: 0 })).toThrow(/DiagonalFisherPreconditioner: lambda must be a finite number > 0; got 0/);
    expect(() => new DiagonalFisherPreconditioner({ ...base, lambda: -1e-5 })).toThrow(/lambda .* got -0.00001/);
    expect(() => new DiagonalFisherPreconditioner({ ...base, eps: -1 })).toThrow(/eps must be a finite number >= 0; got -1/);
    expect(() => new DiagonalFisherPreconditioner({ ...base, momentum: 0 })).toThrow(/momentum must be a number in \(0, 1\]; got 0/);
    expect(() => new DiagonalFisherPreconditioner({ ...base, momentum: 1.5 })).toThrow(/momentum must be a number in \(0, 1\]; got 1.5/);
    expect(() => new DiagonalFisherPreconditioner({ ...base, momentum: Number.NaN })).toThrow(/got NaN/);
    expect(new DiagonalFisherPreconditioner({ ...base, momentum: 1, eps: 0 }).momentum).toBe(1);
    // @ts-expect-error testing a bad option
    expect(() => new DiagonalFisherPreconditioner({ ...base, normaliseByEENorm: "layer" })).toThrow(/normaliseByEENorm must be .* got "layer"/);
    expect(() => new DiagonalFisherPreconditioner({ ...base, variables: [] })).toThrow(/variables must not be empty/);
    // @ts-expect-error testing a missing seed
    expect(() => new DiagonalFisherPreconditioner({ logits: m.logits, variables: m.variables })).toThrow(/a seed is required/);
    const f = new DiagonalFisherPreconditioner(base);
    const g = { [m.readout.b.name]: tf.ones([3]) };
    expect(() => f.asTransform().apply(g, parameterMeta)).toThrow(/no Fisher estimate yet; call observe\(x\)/);
    const empty = tf.zeros([0, 6]) as tf.Tensor2D;
    expect(() => f.observe(empty)).toThrow(/got batch size 0/);
    tf.dispose([empty, ...Object.values(g)]);
    f.dispose();
    m.dispose();
  });

  it("asTransform().apply rejects a gradient whose shape differs from its Fisher diagonal, naming both shapes", () => {
    const m = twoLayerModel(8);
    const x = nonNegativeInput(3, 6, 11);
    const f = new DiagonalFisherPreconditioner({ logits: m.logits, variables: m.variables, seed: 0 });
    f.observe(x);
    const bad = { [m.hidden.names.EE]: tf.ones([6, 5]) };
    expect(() => f.asTransform().apply(bad, parameterMeta)).toThrow(
      new RegExp(`gradient of "${m.hidden.names.EE}" has shape \\[6, 5\\] but its Fisher diagonal has shape \\[5, 6\\]`),
    );
    tf.dispose([...Object.values(bad), x]);
    f.dispose();
    m.dispose();
  });
  it("getState() / setState(state) round-trip F_t and the observation count: a restored preconditioner continues the moving average of the original", () => {
    const m = twoLayerModel(9);
    const xs = [nonNegativeInput(6, 6, 20), nonNegativeInput(6, 6, 21), nonNegativeInput(6, 6, 22)];
    const grads = randomGradients(m.variables, 41);
    const base = tf.memory().numTensors;
    // A source that always draws class 0, so both preconditioners sample the same targets whatever they drew before.
    const src = createRandomSource(3);
    const classZero: RandomSource = {
      seed: 3, uniform: () => src.uniform(), normal: () => src.normal(), exponential: (s) => src.exponential(s), integer: (n) => src.integer(n),
      categorical: () => 0, derive: (label) => src.derive(label),
    };
    const options = { logits: m.logits, variables: m.variables, momentum: 0.3, seed: classZero };
    const a = new DiagonalFisherPreconditioner(options);
    a.observe(xs[0]!);
    a.observe(xs[1]!);
    const state = a.getState();
    expect(state.observations).toBe(2);
    expect(Object.keys(state.fisher)).toEqual(m.variables.map((v) => v.name));
    const b = new DiagonalFisherPreconditioner(options);
    expect(b.getState()).toEqual({ observations: 0, fisher: {} });
    b.setState(state);
    expect(b.observations).toBe(2);
    // The copies are b's own: disposing the caller's state leaves b's F alive.
    tf.dispose(Object.values(state.fisher));
    for (const v of m.variables) expect(Array.from((b.fisherDiagonal(v.name) as tf.Tensor).dataSync())).toEqual(Array.from((a.fisherDiagonal(v.name) as tf.Tensor).dataSync()));
    a.observe(xs[2]!);
    b.observe(xs[2]!);
    const ua = a.asTransform().apply(grads, parameterMeta);
    const ub = b.asTransform().apply(grads, parameterMeta);
    for (const v of m.variables) expect(Array.from(ub[v.name]!.dataSync())).toEqual(Array.from(ua[v.name]!.dataSync()));
    disposeOutputs(ua, grads);
    disposeOutputs(ub, grads);
    // Back to "no estimate yet".
    b.setState({ observations: 0, fisher: {} });
    expect(b.fisherDiagonal(m.hidden.names.EE)).toBeUndefined();
    expect(() => b.asTransform().apply(grads, parameterMeta)).toThrow(/no Fisher estimate yet/);
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(base);
    tf.dispose([...Object.values(grads), ...xs]);
    m.dispose();
  });

  it("setState rejects a bad count, an unknown or missing variable, a wrong shape and a negative or NaN value, naming it, and changes nothing", () => {
    const m = twoLayerModel(10);
    const x = nonNegativeInput(4, 6, 23);
    const f = new DiagonalFisherPreconditioner({ logits: m.logits, variables: m.variables, seed: 0 });
    f.observe(x);
    const good = f.getState();
    const ee = m.hidden.names.EE;
    const before = Array.from((f.fisherDiagonal(ee) as tf.Tensor).dataSync());
    const wrongShape = tf.ones([6, 5]);
    const negative = tf.neg(good.fisher[ee]!);
    const nan = tf.fill([5, 6], Number.NaN);
    const cases: Array<[Parameters<typeof f.setState>[0], RegExp]> = [
      [{ observations: -1, fisher: good.fisher }, /observations must be an integer >= 0; got -1/],
      [{ observations: 1.5, fisher: good.fisher }, /observations must be an integer >= 0; got 1.5/],
      [{ observations: 0, fisher: good.fisher }, /a state with 0 observations has no Fisher diagonal/],
      [{ observations: 1, fisher: { ...good.fisher, other: wrongShape } }, /"other" is not one of the tracked variables/],
      [{ observations: 1, fisher: Object.fromEntries(Object.entries(good.fisher).filter(([n]) => n !== ee)) }, new RegExp(`no Fisher diagonal for "${ee}"`)],
      [{ observations: 1, fisher: { ...good.fisher, [ee]: wrongShape } }, new RegExp(`"${ee}" has shape \\[6, 5\\]; the variable has \\[5, 6\\]`)],
      [{ observations: 1, fisher: { ...good.fisher, [ee]: negative } }, /must be finite and >= 0; element 0 is -/],
      [{ observations: 1, fisher: { ...good.fisher, [ee]: nan } }, /must be finite and >= 0; element 0 is NaN/],
    ];
    for (const [state, pattern] of cases) expect(() => f.setState(state)).toThrow(pattern);
    expect(f.observations).toBe(1);
    expect(Array.from((f.fisherDiagonal(ee) as tf.Tensor).dataSync())).toEqual(before);
    tf.dispose([...Object.values(good.fisher), wrongShape, negative, nan, x]);
    f.dispose();
    expect(() => f.getState()).toThrow(/getState: the preconditioner has been disposed/);
    m.dispose();
  });
});
