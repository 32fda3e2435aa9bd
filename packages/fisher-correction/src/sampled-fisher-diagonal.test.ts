import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useLeakCheck } from "@dale-nn/test-support";
import { createRandomSource } from "@dale-nn/ei-init";
import { dannDense } from "@dale-nn/ei-layers";
import { sampledFisherDiagonal } from "./sampled-fisher-diagonal.js";
import { nonNegativeInput, taggedDannLayer, taggedLinearLayer } from "./internal/test-fixtures.js";

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel = 1e-4, abs = 1e-7): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (Math.abs(a - e) > abs + rel * Math.abs(e)) {
      throw new Error(`element ${i}: got ${a}, expected ${e} (rel ${rel}, abs ${abs})`);
    }
  }
}

describe("sampledFisherDiagonal", () => {
  useLeakCheck();

  it("sampledFisherDiagonal({logits: softmax DANN layer}) equals a brute-force Σ_i (∂L_i/∂θ)² / (λ |batch|) with the same targets", () => {
    const layer = taggedDannLayer({ d: 5, ne: 4, ni: 2 }, 11);
    const x = nonNegativeInput(6, 5, 12);
    const logits = (xb: tf.Tensor2D) => dannDense(xb, layer.params);
    const lambda = 0.5;
    const { diagonal, targets } = sampledFisherDiagonal({ logits, variables: layer.variables, x, rng: 3, lambda });

    // The targets are categorical draws from softmax(z) with the same seeded stream.
    const p = tf.tidy(() => tf.softmax(logits(x)));
    const pv = p.arraySync() as number[][];
    p.dispose();
    const rng = createRandomSource(3);
    expect(Array.from(targets)).toEqual(pv.map((row) => rng.categorical(row)));

    // Brute force: the per-example loss picked out of the full-batch forward pass (no slicing),
    // differentiated with tf.grads, squared, summed.
    const sums = layer.variables.map((v) => new Float64Array(v.size));
    for (let i = 0; i < 6; i++) {
      const gs = tf.tidy(() => {
        const f = (...ws: tf.Tensor[]) => {
          const [wEE, wIE, wEI, alpha, g, beta] = ws as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
          const ls = tf.logSoftmax(dannDense(x, { wEE, wIE, wEI, alpha, g, beta }));
          return tf.neg(ls.slice([i, targets[i] as number], [1, 1]).reshape([]));
        };
        return tf.grads(f)(layer.variables);
      });
      gs.forEach((g, j) => {
        const values = g.dataSync();
        const s = sums[j] as Float64Array;
        for (let k = 0; k < values.length; k++) s[k] = (s[k] as number) + (values[k] as number) ** 2;
      });
      tf.dispose(gs);
    }
    layer.variables.forEach((v, j) => {
      const est = diagonal[v.name] as tf.Tensor;
      expect(est.shape).toEqual(v.shape);
      const expected = Array.from(sums[j] as Float64Array, (s) => s / (lambda * 6));
      expectClose(est.dataSync(), expected, 1e-3, 1e-9);
    });
    // Every DANN parameter influences the output, so every estimate has positive entries.
    for (const v of layer.variables) expect(Math.max(...(diagonal[v.name] as tf.Tensor).dataSync())).toBeGreaterThan(0);

    tf.dispose(Object.values(diagonal));
    x.dispose();
    layer.dispose();
  });

  it("sampledFisherDiagonal is deterministic for a fixed seed, and F̂ scales as 1/λ", () => {
    const lin = taggedLinearLayer({ d: 4, ne: 5 }, 2);
    const x = nonNegativeInput(10, 4, 5);
    const logits = (xb: tf.Tensor2D) => tf.add(tf.matMul(xb, lin.w, false, true), lin.b) as tf.Tensor2D;
    const a = sampledFisherDiagonal({ logits, variables: [lin.w, lin.b], x, rng: 9, lambda: 1 });
    const b = sampledFisherDiagonal({ logits, variables: [lin.w, lin.b], x, rng: createRandomSource(9), lambda: 1 });
    const c = sampledFisherDiagonal({ logits, variables: [lin.w, lin.b], x, rng: 9, lambda: 4 });
    const other = sampledFisherDiagonal({ logits, variables: [lin.w, lin.b], x, rng: 10 });
    expect(Array.from(a.targets)).toEqual(Array.from(b.targets));
    expect(Array.from(a.targets)).not.toEqual(Array.from(other.targets));
    for (const name of [lin.w.name, lin.b.name]) {
      expect(Array.from((a.diagonal[name] as tf.Tensor).dataSync())).toEqual(Array.from((b.diagonal[name] as tf.Tensor).dataSync()));
      expectClose(
        (c.diagonal[name] as tf.Tensor).dataSync(),
        Array.from((a.diagonal[name] as tf.Tensor).dataSync(), (v) => v / 4),
        1e-6,
      );
    }
    for (const r of [a, b, c, other]) tf.dispose(Object.values(r.diagonal));
    x.dispose();
    lin.dispose();
  });

  it("sampledFisherDiagonal on a linear softmax model averages to the analytic Fisher E_x[x_j² p_k(1 − p_k)]", () => {
    // z = x Wᵀ: ∂L/∂W_kj = (p_k − 1[ŷ = k]) x_j, and E_ŷ[(p_k − 1[ŷ = k])²] = p_k(1 − p_k).
    const lin = taggedLinearLayer({ d: 3, ne: 4 }, 21, 0.8);
    const x = nonNegativeInput(4, 3, 22);
    const logits = (xb: tf.Tensor2D) => tf.matMul(xb, lin.w, false, true) as tf.Tensor2D;
    // Repeat the 4 examples 500 times: one call, 2000 independent draws.
    const repeats = 500;
    const xs = tf.tile(x, [repeats, 1]) as tf.Tensor2D;
    const { diagonal } = sampledFisherDiagonal({ logits, variables: [lin.w], x: xs, rng: 1 });

    const p = tf.tidy(() => tf.softmax(logits(x)));
    const pv = p.arraySync() as number[][];
    const xv = x.arraySync() as number[][];
    p.dispose();
    const analytic: number[] = [];
    for (let k = 0; k < 4; k++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let i = 0; i < 4; i++) {
          const pk = (pv[i] as number[])[k] as number;
          s += ((xv[i] as number[])[j] as number) ** 2 * pk * (1 - pk);
        }
        analytic.push(s / 4);
      }
    }
    // Monte-Carlo error with 2000 draws is a few per cent.
    expectClose((diagonal[lin.w.name] as tf.Tensor).dataSync(), analytic, 0.1, 1e-3);
    tf.dispose(Object.values(diagonal));
    tf.dispose([x, xs]);
    lin.dispose();
  });

  it("sampledFisherDiagonal gives zeros for a variable the logits do not use, and accepts fixed targets", () => {
    const lin = taggedLinearLayer({ d: 3, ne: 2 }, 4);
    const zeros = tf.zeros([2, 2]);
    const unused = tf.variable(zeros, true, "sampled_fisher_unused");
    zeros.dispose();
    const x = nonNegativeInput(3, 3, 6);
    const logits = (xb: tf.Tensor2D) => tf.matMul(xb, lin.w, false, true) as tf.Tensor2D;
    const { diagonal, targets } = sampledFisherDiagonal({ logits, variables: [lin.w, unused], x, targets: [0, 1, 1] });
    expect(Array.from(targets)).toEqual([0, 1, 1]);
    expect(Array.from((diagonal[unused.name] as tf.Tensor).dataSync())).toEqual([0, 0, 0, 0]);
    // With 2 classes, (∂L/∂W_kj)² = (1 − p_ŷ)² x_j² for both rows k.
    const p = tf.tidy(() => tf.softmax(logits(x)));
    const pv = p.arraySync() as number[][];
    const xv = x.arraySync() as number[][];
    p.dispose();
    const expected: number[] = [];
    for (let k = 0; k < 2; k++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        [0, 1, 1].forEach((t, i) => {
          s += (1 - ((pv[i] as number[])[t] as number)) ** 2 * ((xv[i] as number[])[j] as number) ** 2;
        });
        expected.push(s / 3);
      }
    }
    expectClose((diagonal[lin.w.name] as tf.Tensor).dataSync(), expected, 1e-4);
    tf.dispose(Object.values(diagonal));
    x.dispose();
    unused.dispose();
    lin.dispose();
  });

  it("sampledFisherDiagonal leaves no tensors behind but its results, also when called inside tidy", () => {
    const lin = taggedLinearLayer({ d: 3, ne: 3 }, 8);
    const x = nonNegativeInput(5, 3, 9);
    const logits = (xb: tf.Tensor2D) => tf.add(tf.matMul(xb, lin.w, false, true), lin.b) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const { diagonal } = sampledFisherDiagonal({ logits, variables: [lin.w, lin.b], x, rng: 0 });
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose(Object.values(diagonal));
    tf.tidy(() => {
      sampledFisherDiagonal({ logits, variables: [lin.w, lin.b], x, rng: 0 });
    });
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    lin.dispose();
  });

  it("sampledFisherDiagonal rejects λ <= 0, an empty batch, bad logits, bad targets and a missing seed, naming the value", () => {
    const lin = taggedLinearLayer({ d: 3, ne: 2 }, 4);
    const x = nonNegativeInput(2, 3, 6);
    const logits = (xb: tf.Tensor2D) => tf.matMul(xb, lin.w, false, true) as tf.Tensor2D;
    const base = { logits, variables: [lin.w], x, rng: 0 };
    expect(() => sampledFisherDiagonal({ ...base, lambda: 0 })).toThrow(/lambda must be a finite number > 0; got 0/);
    expect(() => sampledFisherDiagonal({ ...base, lambda: -2 })).toThrow(/lambda must be a finite number > 0; got -2/);
    expect(() => sampledFisherDiagonal({ ...base, lambda: Number.NaN })).toThrow(/got NaN/);
    const empty = tf.zeros([0, 3]) as tf.Tensor2D;
    expect(() => sampledFisherDiagonal({ ...base, x: empty })).toThrow(/at least one example; got batch size 0 \(shape \[0, 3\]\)/);
    empty.dispose();
    expect(() => sampledFisherDiagonal({ ...base, logits: (xb: tf.Tensor2D) => tf.sum(xb) as unknown as tf.Tensor2D })).toThrow(
      /logits\(x\) must have shape \[batch=2, classes\]; got \[\]/,
    );
    expect(() => sampledFisherDiagonal({ ...base, targets: [0] })).toThrow(/one entry per example \(2\); got 1/);
    expect(() => sampledFisherDiagonal({ ...base, targets: [0, -1] })).toThrow(/targets\[1\] must be an integer >= 0; got -1/);
    expect(() => sampledFisherDiagonal({ ...base, targets: [0, 5] })).toThrow(/target 5 of example 1 is out of range for 2 classes/);
    expect(() => sampledFisherDiagonal({ ...base, variables: [] })).toThrow(/variables must not be empty/);
    expect(() => sampledFisherDiagonal({ ...base, variables: [lin.w, lin.w] })).toThrow(/two variables share the name/);
    expect(() => sampledFisherDiagonal({ ...base, rng: undefined })).toThrow(/a seed is required/);
    const nan = (xb: tf.Tensor2D) => tf.mul(tf.matMul(xb, lin.w, false, true), Number.NaN) as tf.Tensor2D;
    expect(() => sampledFisherDiagonal({ ...base, logits: nan })).toThrow(/softmax\(logits\) of example 0 is not finite/);
    x.dispose();
    lin.dispose();
  });
});
