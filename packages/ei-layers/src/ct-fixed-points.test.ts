import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { CtEiRnn } from "./ct-ei-rnn-layer.js";
import { ctFixedPoints } from "./ct-fixed-points.js";
import { ctRnnForward } from "./ct-rnn-forward.js";

/** The positive root of v = w tanh(v) (w > 1), by bisection in float64. */
function tanhRoot(w: number): number {
  let lo = 1e-6;
  let hi = w + 1;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (w * Math.tanh(mid) - mid > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

describe("ctFixedPoints", () => {
  useBackendWithLeakCheck("cpu");

  const params = (w: number[][], wIn: number[][], bias: number[], tau: number[]) => ({
    wRec: tf.tensor2d(w),
    wIn: tf.tensor2d(wIn),
    bias: tf.tensor1d(bias),
    tau: tf.tensor1d(tau),
  });

  it("ctFixedPoints(bistable tanh unit v = 2 tanh v) finds −v*, 0 and +v* with the Jacobian eigenvalues 1 − α + α w φ'(v*)", () => {
    const p = params([[2]], [[1]], [0], [100]);
    const dt = 20;
    const alpha = dt / 100;
    const starts = [-3, -2, -1.2, -0.7, 0, 0.6, 1.1, 2.5, 3].map((x) => [x]);
    const { points, speeds } = ctFixedPoints(p, { dt, activation: "tanh", initialStates: starts, iterations: 1500, learningRate: 0.05 });
    tf.dispose(Object.values(p));
    const root = tanhRoot(2);
    const byState = [...points].sort((a, b) => a.state[0]! - b.state[0]!);
    expect(byState.map((q) => q.state[0]!)).toHaveLength(3);
    expect(byState[0]!.state[0]).toBeCloseTo(-root, 4);
    expect(byState[1]!.state[0]).toBeCloseTo(0, 4);
    expect(byState[2]!.state[0]).toBeCloseTo(root, 4);
    expect(byState.map((q) => q.count).reduce((a, b) => a + b, 0)).toBe(9);
    expect(byState.map((q) => q.stable)).toEqual([true, false, true]);
    const lambda = (v: number): number => 1 - alpha + alpha * 2 * (1 - Math.tanh(v) ** 2);
    expect(byState[1]!.eigenvalues.re[0]).toBeCloseTo(lambda(0), 6); // 1 + α: unstable
    expect(byState[2]!.eigenvalues.re[0]).toBeCloseTo(lambda(root), 4);
    expect(byState[2]!.spectralRadius).toBeCloseTo(lambda(root), 4);
    expect(Math.max(...speeds)).toBeLessThan(1e-10);
  });

  it("ctFixedPoints(contractive 3-unit ReLU network, input u*) finds the one fixed point that float64 iteration of the map converges to", () => {
    const w = [[0.2, -0.5, 0.1], [0.4, 0.1, -0.3], [0.3, 0.2, -0.2]];
    const wIn = [[1, 0], [0.5, 0.5], [0, 1]];
    const bias = [0.1, -0.2, 0.3];
    const tau = [100, 100, 50];
    const input = [0.8, 0.4];
    const dt = 20;
    // Independent float64: iterate F until it stops moving.
    let v = [0, 0, 0];
    for (let t = 0; t < 5000; t++) {
      v = v.map((vi, i) => {
        const a = dt / tau[i]!;
        let s = bias[i]! + wIn[i]![0]! * input[0]! + wIn[i]![1]! * input[1]!;
        for (let j = 0; j < 3; j++) s += w[i]![j]! * Math.max(v[j]!, 0);
        return (1 - a) * vi + a * s;
      });
    }
    const p = params(w, wIn, bias, tau);
    const starts = tf.tensor2d([[1, 1, 1], [-1, 0.5, 2], [0, 0, 0], [2, -2, 1]]);
    const { points } = ctFixedPoints(p, { dt, initialStates: starts, input, iterations: 2000, learningRate: 0.02 });
    tf.dispose([...Object.values(p), starts]);
    expect(points).toHaveLength(1);
    points[0]!.state.forEach((x, i) => expect(x).toBeCloseTo(v[i]!, 4));
    expect(points[0]!.count).toBe(4);
    expect(points[0]!.stable).toBe(true);
  });

  it("ctFixedPoints(CtEiRnn effective parameters, input u*) returns points that ctRnnForward started there keeps (noise off)", () => {
    const rnn = new CtEiRnn({ units: 12, outputs: 2, rho: 0.6, dt: 20, tau: 100, seed: 8, noise: false });
    rnn.build([null, 5, 3]);
    const p = rnn.effectiveParams();
    const input = [1, 0.6, 0.4];
    const starts = Array.from({ length: 6 }, (_, k) => Array.from({ length: 12 }, (_, i) => Math.sin(3 * k + i)));
    const { points } = ctFixedPoints(p, { dt: 20, activation: rnn.activation, initialStates: starts, input, iterations: 500 });
    expect(points.length).toBeGreaterThanOrEqual(1);
    const fp = points[0]!;
    expect(fp.speed).toBeLessThan(1e-10);
    const x = tf.tensor3d(Float32Array.from({ length: 30 * 3 }, (_, k) => input[k % 3]!), [1, 30, 3]);
    const v0 = tf.tensor1d(Float32Array.from(fp.state));
    const { states, outputs } = ctRnnForward({ ...p, v0 }, x, { dt: 20, activation: rnn.activation, noise: false });
    const last = states.dataSync().slice(29 * 12);
    last.forEach((s, i) => expect(Math.abs(s - fp.state[i]!)).toBeLessThan(1e-4));
    tf.dispose([...Object.values(p), x, v0, states, outputs]);
    tf.disposeVariables();
  });

  it("ctFixedPoints refuses bad dt, shapes and options with one line naming the value", () => {
    const p = params([[0.5]], [[1]], [0], [100]);
    expect(() => ctFixedPoints(p, { dt: 200, initialStates: [[0]] })).toThrow("ctFixedPoints: dt = 200 ms must be in (0, tau] for every unit (α = dt/τ ≤ 1); tau[0] = 100 ms");
    expect(() => ctFixedPoints(p, { dt: 0, initialStates: [[0]] })).toThrow("ctFixedPoints: dt must be a finite number > 0; got 0");
    expect(() => ctFixedPoints(p, { dt: 20, initialStates: [[0, 1]] })).toThrow("ctFixedPoints: initialStates[0] must hold n = 1 values; got [0,1]");
    expect(() => ctFixedPoints(p, { dt: 20, initialStates: [] })).toThrow("ctFixedPoints: initialStates must hold at least one state; got 0");
    expect(() => ctFixedPoints(p, { dt: 20, initialStates: [[Number.NaN]] })).toThrow("ctFixedPoints: initialStates (0, 0) must be finite; got NaN");
    expect(() => ctFixedPoints(p, { dt: 20, initialStates: [[0]], input: [1, 2] })).toThrow("ctFixedPoints: input must hold nIn = 1 values (columns of W_in); got 2");
    expect(() => ctFixedPoints(p, { dt: 20, initialStates: [[0]], tolerance: -1 })).toThrow("ctFixedPoints: tolerance must be a finite number > 0; got -1");
    expect(() => ctFixedPoints(p, { dt: 20, initialStates: [[0]], activation: "sigmoid" as never })).toThrow('ctFixedPoints: activation must be one of relu, softplus, tanh; got "sigmoid"');
    tf.dispose(Object.values(p));
  });
});
