import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { centralDifferences, useBackendWithLeakCheck } from "@dale-nn/test-support";
import { mixingLogit, mixingWeight } from "./ct-mixing.js";
import { CtEiRnn } from "./ct-ei-rnn-layer.js";

const sigmoid64 = (z: number): number => 1 / (1 + Math.exp(-z));

describe("mixingWeight / mixingLogit", () => {
  useBackendWithLeakCheck("cpu", { disposeVariables: true });

  it("mixingWeight(mixingLogit(a0, p, ctx, k), p, k) gives a0 back for sigmoid and clip, k = 1 and 10", () => {
    for (const p of ["sigmoid", "clip"] as const) {
      for (const k of [1, 10]) {
        const raw = tf.scalar(mixingLogit(0.3, p, "t", k));
        const a = mixingWeight(raw, p, k);
        expect(a.dataSync()[0]).toBeCloseTo(0.3, 6);
        tf.dispose([raw, a]);
      }
    }
  });

  it("the gradient of a = σ(k ã) matches float64 central finite differences (k = 10)", () => {
    const k = 10;
    const at = [-0.21, 0.03, 0.17];
    const init = tf.tensor1d(at);
    const v = tf.variable(init);
    init.dispose();
    const g = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(mixingWeight(x, "sigmoid", k), tf.tensor1d([1, -2, 3]))))(v));
    const fd = centralDifferences((th) => sigmoid64(k * th[0]!) - 2 * sigmoid64(k * th[1]!) + 3 * sigmoid64(k * th[2]!), Float64Array.from(at));
    Array.from(g.dataSync()).forEach((x, i) => expect(Math.abs(x - fd[i]!) / Math.abs(fd[i]!)).toBeLessThan(1e-4));
    tf.dispose([v, g]);
  });

  it("under Adam a's logit moves about k times further per update with logitScale k (the reason for the option)", () => {
    const logitMove = (k: number): number => {
      const init = tf.scalar(mixingLogit(0.5, "sigmoid", "t", k));
      const raw = tf.variable(init);
      init.dispose();
      const opt = tf.train.adam(0.01);
      for (let s = 0; s < 20; s++) opt.minimize(() => tf.neg(mixingWeight(raw, "sigmoid", k)) as tf.Scalar, false, [raw]);
      const moved = k * (raw.dataSync()[0]! - mixingLogit(0.5, "sigmoid", "t", k));
      opt.dispose();
      raw.dispose();
      return moved;
    };
    const one = logitMove(1);
    const ten = logitMove(10);
    expect(one).toBeGreaterThan(0.18);
    expect(one).toBeLessThan(0.21);
    expect(ten / one).toBeGreaterThan(9.5);
    expect(ten / one).toBeLessThan(10.5);
  });

  it("CtEiRnn({ mixing: { logitScale } }) starts at a0, keeps it in its config, and refuses a non-positive scale naming it", () => {
    const layer = new CtEiRnn({ units: 10, outputs: 2, kind: "mixture", mixing: { a0: 0.2, logitScale: 25 }, seed: 1, noise: false });
    layer.build([null, 4, 3]);
    expect(layer.mixingWeight as number).toBeCloseTo(0.2, 5);
    expect((layer.getConfig().mixing as { logitScale: number }).logitScale).toBe(25);
    expect(() => new CtEiRnn({ units: 10, outputs: 2, kind: "mixture", mixing: { logitScale: 0 }, seed: 1 })).toThrow(/mixing\.logitScale must be a finite number > 0; got 0/);
  });
});
