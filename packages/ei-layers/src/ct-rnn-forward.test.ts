import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { maxRelativeError, normalArray, uniformArray, useBackendWithLeakCheck } from "@dale-nn/test-support";
import { createRandomSource, deriveSeed, pycogRecurrentInit } from "@dale-nn/ei-init";
import { spectralRadius } from "@dale-nn/spectra";
import { ctRnnForward, type CtActivation, type CtRnnParams } from "./ct-rnn-forward.js";
import { ctRnn64, relu64, softplus64, tanh64, type CtRnn64Params } from "./test-support/ct-rnn64.js";

function randomParams(seed: number, n: number, nIn: number, nOut: number, tau: number[]): CtRnn64Params {
  const rng = createRandomSource(seed);
  const arr = (k: number, s: number): Float64Array => normalArray(rng, k, s);
  return { wIn: arr(n * nIn, 0.5), wRec: arr(n * n, 1 / Math.sqrt(n)), bias: arr(n, 0.3), wOut: arr(nOut * n, 0.5), biasOut: arr(nOut, 0.1), tau: Float64Array.from(tau), v0: arr(n, 0.5) };
}

function toTensors(p: CtRnn64Params, n: number, nIn: number, nOut: number): CtRnnParams {
  const f = (a: Float64Array): Float32Array => Float32Array.from(a);
  return {
    wIn: tf.tensor2d(f(p.wIn), [n, nIn]), wRec: tf.tensor2d(f(p.wRec), [n, n]), bias: tf.tensor1d(f(p.bias)),
    wOut: tf.tensor2d(f(p.wOut), [nOut, n]), biasOut: tf.tensor1d(f(p.biasOut)), tau: tf.tensor1d(f(p.tau)), ...(p.v0 ? { v0: tf.tensor1d(f(p.v0)) } : {}),
  };
}

const disposeParams = (p: CtRnnParams): void => tf.dispose(Object.values(p) as tf.Tensor[]);

describe("ctRnnForward", () => {
  useBackendWithLeakCheck("cpu");

  const n = 5, nIn = 3, nOut = 2, B = 2, T = 8, dt = 10;
  const tau = [20, 50, 100, 150, 300];
  const rng = createRandomSource(4);
  const us = uniformArray(rng, B * T * nIn);

  const phis: Record<CtActivation, (x: number) => number> = { relu: relu64, softplus: softplus64, tanh: tanh64 };
  for (const activation of ["relu", "softplus", "tanh"] as const) {
    it(`ctRnnForward(params, u, {dt, activation:'${activation}', noise:false}) equals the float64 Euler integration with per-unit τ over ${T} steps`, () => {
      const p64 = randomParams(1, n, nIn, nOut, tau);
      const p = toTensors(p64, n, nIn, nOut);
      const u = tf.tensor3d(Float32Array.from(us), [B, T, nIn]);
      const { states, outputs } = ctRnnForward(p, u, { dt, activation, noise: false, recurrentNoise: 0.1 });
      const ref = ctRnn64(p64, us, B, T, nIn, dt, phis[activation]);
      expect(states.shape).toEqual([B, T, n]);
      expect(outputs.shape).toEqual([B, T, nOut]);
      expect(maxRelativeError(states.dataSync(), ref.states)).toBeLessThan(1e-5);
      expect(maxRelativeError(outputs.dataSync(), ref.outputs)).toBeLessThan(1e-5);
      tf.dispose([u, states, outputs]);
      disposeParams(p);
    });
  }

  it("ctRnnForward's recurrent noise √(2α) σ ξ is the seeded host stream: equal to float64 with the same ξ, reproducible, different for another seed; input noise likewise; noise: false turns both off", () => {
    const p64 = randomParams(2, n, nIn, nOut, tau);
    const p = toTensors(p64, n, nIn, nOut);
    const u = tf.tensor3d(Float32Array.from(us), [B, T, nIn]);
    const sigma = 0.3;
    const a = ctRnnForward(p, u, { dt, recurrentNoise: sigma, seed: 7 });
    const b = ctRnnForward(p, u, { dt, recurrentNoise: sigma, seed: 7 });
    const c = ctRnnForward(p, u, { dt, recurrentNoise: sigma, seed: 8 });
    const xiRng = createRandomSource(deriveSeed(7, "recurrent-noise"));
    const xi = normalArray(xiRng, T * B * n);
    const ref = ctRnn64(p64, us, B, T, nIn, dt, relu64, { xi, sigma });
    expect(maxRelativeError(a.states.dataSync(), ref.states)).toBeLessThan(1e-5);
    expect(Array.from(b.states.dataSync())).toEqual(Array.from(a.states.dataSync()));
    expect(maxRelativeError(c.states.dataSync(), ref.states)).toBeGreaterThan(1e-2);
    // Input noise ũ = u + σ_in ξ^in (ξ^in drawn [T, B, nIn] from its own derived seed).
    const d = ctRnnForward(p, u, { dt, inputNoise: 0.2, seed: 7 });
    const inRng = createRandomSource(deriveSeed(7, "input-noise"));
    const xiIn = normalArray(inRng, T * B * nIn);
    const noisyU = Float64Array.from(us, (x, k) => { const b = Math.floor(k / (T * nIn)), t = Math.floor(k / nIn) % T, c = k % nIn; return x + 0.2 * xiIn[(t * B + b) * nIn + c]!; });
    expect(maxRelativeError(d.states.dataSync(), ctRnn64(p64, noisyU, B, T, nIn, dt, relu64).states)).toBeLessThan(1e-5);
    const off = ctRnnForward(p, u, { dt, inputNoise: 0.2, recurrentNoise: sigma, noise: false });
    expect(maxRelativeError(off.states.dataSync(), ctRnn64(p64, us, B, T, nIn, dt, relu64).states)).toBeLessThan(1e-5);
    tf.dispose([u, a.states, a.outputs, b.states, b.outputs, c.states, c.outputs, d.states, d.outputs, off.states, off.outputs]);
    disposeParams(p);
  });

  it("ctRnnForward: a unit without recurrence has the stationary noise variance σ²·2/(2 − α) (within sampling error)", () => {
    const units = 20, batch = 50, steps = 400, burn = 50, sigma = 0.5;
    const taus = Array.from({ length: units }, (_, i) => (i < 10 ? 100 : 40)); // α = 0.2 and 0.5 at dt = 20
    const p: CtRnnParams = {
      wIn: tf.zeros([units, 1]), wRec: tf.zeros([units, units]), bias: tf.zeros([units]), wOut: tf.zeros([1, units]), biasOut: tf.zeros([1]), tau: tf.tensor1d(taus),
    };
    const u = tf.zeros([batch, steps, 1]) as tf.Tensor3D;
    const { states, outputs } = ctRnnForward(p, u, { dt: 20, recurrentNoise: sigma, seed: 3 });
    const v = states.dataSync();
    for (const [lo, alpha] of [[0, 0.2], [10, 0.5]] as const) {
      let s2 = 0, count = 0;
      for (let b = 0; b < batch; b++) for (let t = burn; t < steps; t++) for (let i = lo; i < lo + 10; i++) { s2 += v[(b * steps + t) * units + i]! ** 2; count++; }
      const expected = (sigma ** 2 * 2) / (2 - alpha);
      const rel = s2 / count / expected - 1;
      console.log(`[ct-rnn noise] α = ${alpha}: variance ${(s2 / count).toFixed(5)} vs σ²·2/(2 − α) = ${expected.toFixed(5)} (${(rel * 100).toFixed(2)}%)`);
      // ~175k correlated samples: the standard error of the variance is about 1% (AR(1) with ρ = 1 − α).
      expect(Math.abs(rel)).toBeLessThan(0.04);
    }
    tf.dispose([u, states, outputs]);
    disposeParams(p);
  });

  it("ctRnnForward: a pycog network's noise-free trajectory at dt = 10 vs 20 ms agrees within the first-order discretisation error", () => {
    const units = 20;
    const w = pycogRecurrentInit({ units, seed: 5, rho: 0.9, spectralRadius: (d, k) => spectralRadius({ data: d, rows: k, cols: k }) });
    const total = 1000;
    const run = (step: number): Float32Array => {
      const steps = total / step;
      const r = createRandomSource(6);
      const wIn = tf.tensor2d(Float32Array.from({ length: units * 2 }, () => Math.abs(r.normal()) * 0.5), [units, 2]);
      const p: CtRnnParams = { wIn, wRec: tf.tensor2d(w.signed.values, [units, units]), bias: tf.fill([units], 0.1) as tf.Tensor1D, wOut: tf.zeros([1, units]), biasOut: tf.zeros([1]), tau: tf.fill([units], 100) as tf.Tensor1D };
      // Inputs as functions of continuous time: a step at 200 ms on channel 0, a ramp on channel 1.
      const u = tf.tensor3d(Float32Array.from({ length: steps * 2 }, (_, k) => { const t = Math.floor(k / 2) * step; return k % 2 === 0 ? (t >= 200 ? 1 : 0) : t / total; }), [1, steps, 2]);
      const { states, outputs } = ctRnnForward(p, u, { dt: step, noise: false });
      // State at t = k · 20 ms (after the step that ends there).
      const all = states.dataSync();
      const stride = 20 / step;
      const out = new Float32Array((total / 20) * units);
      for (let k = 0; k < total / 20; k++) out.set(all.subarray(((k + 1) * stride - 1) * units, (k + 1) * stride * units), k * units);
      tf.dispose([u, states, outputs]);
      disposeParams(p);
      return out;
    };
    const v5 = run(5), v10 = run(10), v20 = run(20);
    const e1020 = maxRelativeError(v10, v20), e510 = maxRelativeError(v5, v10);
    console.log(`[ct-rnn dt] max relative difference dt 10 vs 20: ${e1020.toFixed(4)}, dt 5 vs 10: ${e510.toFixed(4)} (ratio ${(e1020 / e510).toFixed(2)}, first order: 2)`);
    expect(e1020).toBeLessThan(0.1);
    expect(e1020 / e510).toBeGreaterThan(1.5);
    expect(e1020 / e510).toBeLessThan(2.6);
  });

  it("tf.grads through ctRnnForward over one step (T = 1) matches the two-step run's first step, with noise too", () => {
    const p64 = randomParams(3, n, nIn, nOut, tau);
    const p = toTensors(p64, n, nIn, nOut);
    const grads = (steps: number) =>
      tf.tidy(() => {
        const u = tf.slice(tf.tensor3d(Float32Array.from(us), [B, T, nIn]), [0, 0, 0], [B, steps, nIn]) as tf.Tensor3D;
        const f = (wIn: tf.Tensor, wRec: tf.Tensor) => {
          const { states } = ctRnnForward({ ...p, wIn: wIn as tf.Tensor2D, wRec: wRec as tf.Tensor2D }, u, { dt, recurrentNoise: 0.1, seed: 2 });
          return tf.sum(tf.slice(states, [0, 0, 0], [B, 1, n]));
        };
        return tf.grads(f)([p.wIn, p.wRec]).map((g) => Array.from(g.dataSync()));
      });
    const one = grads(1);
    const two = grads(2);
    expect(one[0]!.length).toBe(n * nIn);
    expect(maxRelativeError(one[0]!, two[0]!)).toBeLessThan(1e-6);
    expect(maxRelativeError(one[1]!, two[1]!)).toBeLessThan(1e-6);
    disposeParams(p);
  });

  it("ctRnnForward rejects dt ≤ 0, dt > τ, τ ≤ 0, T = 0, mismatched shapes and noise without a seed, naming the value", () => {
    const p = toTensors(randomParams(3, n, nIn, nOut, tau), n, nIn, nOut);
    const u = tf.tensor3d(Float32Array.from(us), [B, T, nIn]);
    expect(() => ctRnnForward(p, u, { dt: 0 })).toThrow(/dt must be a finite number > 0 \(ms\); got 0/);
    expect(() => ctRnnForward(p, u, { dt: 30 })).toThrow(/dt = 30 ms must be <= tau of every unit .*; tau\[0\] = 20 ms/);
    const badTau = { ...p, tau: tf.tensor1d([20, -1, 100, 150, 300]) };
    expect(() => ctRnnForward(badTau, u, { dt: 10 })).toThrow(/tau must be > 0 for every unit; tau\[1\] = -1/);
    const empty = tf.zeros([2, 0, nIn]) as tf.Tensor3D;
    expect(() => ctRnnForward(p, empty, { dt })).toThrow(/sequence length T must be >= 1; got 0/);
    const wide = tf.zeros([2, 3, 7]) as tf.Tensor3D;
    expect(() => ctRnnForward(p, wide, { dt })).toThrow(/input width must be 3 \(columns of W_in\); got 7/);
    const badRec = { ...p, wRec: tf.zeros([n, n + 1]) as tf.Tensor2D };
    expect(() => ctRnnForward(badRec, u, { dt })).toThrow(/W_rec must be \[5, 5\]; got \[5, 6\]/);
    expect(() => ctRnnForward(p, u, { dt, recurrentNoise: 0.1 })).toThrow(/noise needs a seed .*; got undefined/);
    expect(() => ctRnnForward(p, u, { dt, recurrentNoise: -0.1 })).toThrow(/recurrentNoise must be a finite number >= 0; got -0.1/);
    tf.dispose([u, badTau.tau, empty, wide, badRec.wRec]);
    disposeParams(p);
  });
});
