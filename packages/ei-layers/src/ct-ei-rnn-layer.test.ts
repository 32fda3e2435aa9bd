import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { centralDifferencesInPlace, maxRelativeError, normalArray, relativeError, saveToMemory, uniformArray, useBackendWithLeakCheck } from "@dale-nn/test-support";
import { createRandomSource } from "@dale-nn/ei-init";
import { parameterMeta } from "@dale-nn/core";
import { spectralRadius } from "@dale-nn/spectra";
import { CtEiRnn, type CtEiRnnArgs } from "./ct-ei-rnn-layer.js";
import { ctRnn64, daleAbs64, frobeniusScale64, masked64, mix64, sigmoid64 } from "./test-support/ct-rnn64.js";

/** Every weight of a layer (trainable or not) by short name. */
function allWeights(layer: tf.layers.Layer): Record<string, tf.Variable> {
  const out: Record<string, tf.Variable> = {};
  for (const w of layer.weights) out[w.originalName.split("/").pop()!] = w.read() as tf.Variable;
  return out;
}

const host = (v: tf.Tensor): Float64Array => Float64Array.from(v.dataSync());

describe("CtEiRnn", () => {
  useBackendWithLeakCheck("cpu", { disposeVariables: true });

  const B = 2, T = 5, nIn = 3, n = 6, nOut = 2, dt = 10;
  const tauBounds = [10, 400] as const;
  const rng = createRandomSource(21);
  const us = uniformArray(rng, B * T * nIn);
  const R = normalArray(rng, B * T * nOut);
  const S = normalArray(rng, B * T * n);

  for (const kind of ["dale", "free", "mixture"] as const) {
    it(`CtEiRnn({kind:'${kind}', per-unit trainable τ, trainable v0}) equals the float64 Euler integration and its gradients (every parameter) match float64 central differences`, () => {
      const layer = new CtEiRnn({
        kind, units: n, outputs: nOut, excitatoryFraction: 0.67, dt, tau: [40, 60, 80, 100, 120, 150], trainTau: true, tauBounds,
        trainInitialState: true, noise: false, returnStates: true, seed: 5, mixing: { a0: 0.3 },
      });
      layer.build([null, T, nIn]);
      const w = allWeights(layer);
      const trainable = layer.trainableWeights.map((lv) => lv.originalName.split("/").pop()!);
      const expected = { dale: ["wIn", "wDale"], free: ["wIn", "wFree"], mixture: ["wIn", "wDale", "wFree", "mixing"] }[kind];
      expect(trainable.sort()).toEqual([...expected, "tauTheta", "bias", "wOut", "biasOut", "v0"].sort());
      tf.tidy(() => {
        w.bias!.assign(tf.tensor1d([0.3, 0.2, 0.4, 0.1, 0.3, 0.2]));
        w.v0!.assign(tf.tensor1d([0.2, -0.1, 0.3, 0.5, 0.1, -0.2]));
        w.biasOut!.assign(tf.tensor1d([0.1, -0.2]));
      });
      const h = Object.fromEntries(Object.entries(w).map(([k, v]) => [k, host(v)]));
      const mask = h.mask!;
      const loss64 = (): { loss: number; states: Float64Array; outputs: Float64Array } => {
        const wIn = kind === "free" ? h.wIn! : h.wIn!.map(Math.abs);
        let wRec: Float64Array;
        if (kind === "dale") wRec = daleAbs64(h.wDale!, h.signs!, mask, n);
        else if (kind === "free") wRec = masked64(h.wFree!, mask);
        else wRec = mix64(frobeniusScale64(daleAbs64(h.wDale!, h.signs!, mask, n), h.daleNorm![0]!), frobeniusScale64(masked64(h.wFree!, mask), h.freeNorm![0]!), h.mixing!.map(sigmoid64), n);
        const tau = h.tauTheta!.map((t) => tauBounds[0] + (tauBounds[1] - tauBounds[0]) * sigmoid64(t));
        const wOut = h.wOut!.map((v, i) => v * h.readoutMask![i % n]!);
        const r = ctRnn64({ wIn, wRec, bias: h.bias!, wOut, biasOut: h.biasOut!, tau, v0: h.v0! }, us, B, T, nIn, dt);
        let loss = 0;
        r.outputs.forEach((z, i) => (loss += z * R[i]!));
        r.states.forEach((v, i) => (loss += v * S[i]!));
        return { loss, ...r };
      };
      const u = tf.tensor3d(Float32Array.from(us), [B, T, nIn]);
      const Rt = tf.tensor3d(Float32Array.from(R), [B, T, nOut]);
      const St = tf.tensor3d(Float32Array.from(S), [B, T, n]);
      const [z, v] = layer.apply(u) as tf.Tensor[];
      const ref = loss64();
      const fwdErr = Math.max(maxRelativeError(z!.dataSync(), ref.outputs), maxRelativeError(v!.dataSync(), ref.states));
      expect(fwdErr, `${kind} forward`).toBeLessThan(1e-5);
      const { value, grads } = tf.variableGrads(() => {
        const [zz, vv] = layer.apply(u) as tf.Tensor[];
        return tf.add(tf.sum(tf.mul(zz!, Rt)), tf.sum(tf.mul(vv!, St))) as tf.Scalar;
      });
      expect(value.dataSync()[0]).toBeCloseTo(ref.loss, 3);
      const errors: Record<string, number> = {};
      for (const name of trainable) {
        const fd = centralDifferencesInPlace(h[name]!, () => loss64().loss);
        errors[name] = relativeError(grads[w[name]!.name]!.dataSync(), fd);
      }
      console.log(`[ct-rnn ${kind}] forward max rel err ${fwdErr.toExponential(2)}; gradient rel err`, Object.fromEntries(Object.entries(errors).map(([k, e]) => [k, e.toExponential(2)])));
      for (const [name, e] of Object.entries(errors)) expect(e, `${kind} d/d${name}`).toBeLessThan(1e-5);
      tf.dispose([u, Rt, St, z!, v!, value, ...Object.values(grads)]);
    });
  }

  it("CtEiRnn tags its weights: Dale W̃ free under 'abs', column-sign under 'projected' (W_in nonneg), biases 'bias'", () => {
    const abs = new CtEiRnn({ units: 10, outputs: 2, seed: 0, kind: "mixture" });
    abs.build([null, 4, 3]);
    const wa = allWeights(abs);
    expect(parameterMeta(wa.wDale!)).toMatchObject({ role: "weight", constraint: { kind: "free" }, sizes: { d: 10, ne: 8, ni: 2 } });
    expect(parameterMeta(wa.mixing!)).toMatchObject({ role: "free" });
    expect(parameterMeta(wa.bias!)?.role).toBe("bias");
    const proj = new CtEiRnn({ units: 10, outputs: 2, seed: 0, daleParametrisation: "projected" });
    proj.build([null, 4, 3]);
    const wp = allWeights(proj);
    expect(parameterMeta(wp.wDale!)?.constraint).toEqual({ kind: "column-sign", nonnegColumns: 8 });
    expect(parameterMeta(wp.wIn!)?.constraint).toEqual({ kind: "nonneg" });
  });

  it("CtEiRnn({kind:'mixture'}) keeps a in [0, 1] under large steps (sigmoid and clip, scalar and per unit) and reads it back", () => {
    const x = tf.randomUniform([4, 6, 3], 0, 1, "float32", 3);
    for (const parametrisation of ["sigmoid", "clip"] as const) {
      for (const perUnit of [false, true]) {
        const layer = new CtEiRnn({ units: 10, outputs: 2, seed: 4, kind: "mixture", noise: false, mixing: { a0: 0.5, parametrisation, perUnit } });
        layer.build([null, 6, 3]);
        expect(layer.mixingWeight).toEqual(perUnit ? new Float32Array(10).fill(0.5) : 0.5);
        const opt = tf.train.sgd(50);
        const aVar = allWeights(layer).mixing!;
        for (let s = 0; s < 4; s++) {
          // Large steps on ã alone (the other weights would blow up at this learning rate).
          opt.minimize(() => tf.sum(tf.square(layer.apply(x) as tf.Tensor)) as tf.Scalar, false, [aVar]);
          layer.clampMixing();
        }
        const a = layer.mixingWeight!;
        const values = typeof a === "number" ? [a] : Array.from(a);
        expect(values.every((v) => v >= 0 && v <= 1), `${parametrisation} ${perUnit}: ${values}`).toBe(true);
        expect(values.some((v) => v !== 0.5)).toBe(true);
        opt.dispose();
      }
    }
    x.dispose();
  });

  it("CtEiRnn({kind:'mixture'}) 'frobenius' normalisation: rescaling W_dale or W_free leaves W_rec unchanged, so only a sets the mix", () => {
    const layer = new CtEiRnn({ units: 8, outputs: 2, seed: 6, kind: "mixture" });
    layer.build([null, 3, 2]);
    const w = allWeights(layer);
    const w0 = layer.effectiveRecurrentWeight();
    tf.tidy(() => { w.wDale!.assign(tf.mul(w.wDale!, 3)); w.wFree!.assign(tf.mul(w.wFree!, 0.2)); });
    const w1 = layer.effectiveRecurrentWeight();
    expect(maxRelativeError(w1.dataSync(), w0.dataSync())).toBeLessThan(1e-6);
    const pen = new CtEiRnn({ units: 8, outputs: 2, seed: 6, kind: "mixture", mixing: { normalisation: "penalty", penalty: 0.1 } });
    pen.build([null, 3, 2]);
    expect(pen.losses.length).toBe(1);
    const p = pen.mixturePenalty();
    expect(p.dataSync()[0]).toBeGreaterThanOrEqual(0);
    const fixed = new CtEiRnn({ units: 8, outputs: 2, seed: 6, kind: "mixture", mixing: { normalisation: "fixed" } });
    fixed.build([null, 3, 2]);
    expect(fixed.trainableWeights.map((v) => v.originalName.split("/").pop()).sort()).toEqual(["bias", "biasOut", "mixing", "wIn", "wOut"]);
    tf.dispose([w0, w1, p]);
  });

  it("CtEiRnn initialisation: pycog W_eff at radius 1.5, no autapses, balanced rows, E-only readout; psychrnn's effective radius (raw 1.1 before the abs) is reported", () => {
    const layer = new CtEiRnn({ units: 50, outputs: 3, seed: 7 });
    layer.build([null, 4, 3]);
    const wRec = layer.effectiveRecurrentWeight();
    const m = wRec.arraySync();
    expect(spectralRadius(wRec)).toBeCloseTo(1.5, 4);
    let worstRow = 0, scale = 0;
    for (let i = 0; i < 50; i++) {
      expect(Math.abs(m[i]![i]!)).toBe(0);
      worstRow = Math.max(worstRow, Math.abs(m[i]!.reduce((a, b) => a + b, 0)));
      scale = Math.max(scale, m[i]!.reduce((a, b) => a + Math.abs(b), 0));
    }
    expect(worstRow / scale).toBeLessThan(1e-5);
    const wOut = layer.effectiveParams();
    expect(wOut.wOut.arraySync().every((row) => row.slice(40).every((v) => v === 0))).toBe(true);
    const ps = new CtEiRnn({ units: 50, outputs: 3, seed: 7, init: "psychrnn" });
    ps.build([null, 4, 3]);
    const wPs = ps.effectiveRecurrentWeight();
    const rhoPs = spectralRadius(wPs);
    console.log(`[ct-rnn init] pycog radius ${spectralRadius(wRec).toFixed(6)}, max |row sum| / max row L1 ${worstRow / scale}; psychrnn effective radius ${rhoPs.toFixed(3)} (raw 1.1)`);
    expect(rhoPs).toBeGreaterThan(0.5);
    expect(rhoPs).toBeLessThan(1.4);
    tf.dispose([wRec, wPs, ...Object.values(wOut)]);
  });

  it("CtEiRnn with connectivity { fromItoI: 0, fromEtoI: 0.5 } masks I→I and about half of E→I, seeded", () => {
    const make = (seed: number): number[][] => {
      const layer = new CtEiRnn({ units: 50, outputs: 1, seed, connectivity: { fromItoI: 0, fromEtoI: 0.5 } });
      layer.build([null, 2, 1]);
      const w = layer.effectiveRecurrentWeight();
      const a = w.arraySync();
      w.dispose();
      return a;
    };
    const a = make(1), b = make(1);
    expect(a).toEqual(b);
    let ii = 0, ei = 0;
    for (let i = 40; i < 50; i++) for (let j = 0; j < 50; j++) if (a[i]![j] !== 0) (j >= 40 ? ii++ : ei++);
    expect(ii).toBe(0);
    expect(ei / (10 * 40)).toBeGreaterThan(0.35);
    expect(ei / (10 * 40)).toBeLessThan(0.65);
  });

  it("CtEiRnn survives a save / load round trip (config and weights, trainable τ and a)", async () => {
    const input = tf.input({ shape: [5, 3] });
    const rnn = new CtEiRnn({ units: 12, outputs: 2, kind: "mixture", trainTau: true, tau: { excitatory: 100, inhibitory: 50 }, noise: false, seed: 3, connectivity: { fromItoI: 0 } });
    const model = tf.model({ inputs: input, outputs: rnn.apply(input) as tf.SymbolicTensor });
    const x = tf.randomUniform([2, 5, 3], 0, 1, "float32", 9);
    const y = model.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 5, 2]);
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(await saveToMemory(model)));
    const y2 = loaded.predict(x) as tf.Tensor;
    expect(relativeError(y2.dataSync(), y.dataSync())).toBeLessThan(1e-6);
    const cfg = (loaded.layers[1] as CtEiRnn).getConfig();
    expect(cfg).toMatchObject({ kind: "mixture", trainTau: true, tau: { excitatory: 100, inhibitory: 50 }, connectivity: { fromItoI: 0 }, mixing: { a0: 0.5, normalisation: "frobenius" } });
    expect(Array.from((loaded.layers[1] as CtEiRnn).timeConstants.slice(7, 10)).map((t) => Math.round(t))).toEqual([100, 100, 50]);
    tf.dispose([x, y, y2]);
  });

  it("CtEiRnn rejects dt ≤ 0, dt > τ, τ ≤ 0, a₀ outside [0, 1], masks of the wrong shape and an E fraction that leaves no I unit, naming the value", () => {
    const base: CtEiRnnArgs = { units: 10, outputs: 2, seed: 0 };
    expect(() => new CtEiRnn({ ...base, dt: 0 })).toThrow(/dt must be a finite number > 0; got 0/);
    expect(() => new CtEiRnn({ ...base, dt: -5 })).toThrow(/dt must be a finite number > 0; got -5/);
    expect(() => new CtEiRnn({ ...base, dt: 200, tau: 100 })).toThrow(/dt = 200 ms must be <= tau .* tau of unit 0 was 100 ms/);
    expect(() => new CtEiRnn({ ...base, tau: { excitatory: 100, inhibitory: 0 } })).toThrow(/tau must be a finite number > 0 \(ms\); tau of unit 8 was 0/);
    expect(() => new CtEiRnn({ ...base, tau: [100, 100] })).toThrow(/tau per unit must have 10 values \(one per unit\); got 2/);
    expect(() => new CtEiRnn({ ...base, kind: "mixture", mixing: { a0: 1.5 } })).toThrow(/a0 must be a number in \[0, 1\]; got 1.5/);
    expect(() => new CtEiRnn({ ...base, kind: "mixture", mixing: { a0: -0.1 } })).toThrow(/a0 must be a number in \[0, 1\]; got -0.1/);
    expect(() => new CtEiRnn({ ...base, kind: "mixture", mixing: { a0: 1 } })).toThrow(/a0 = 1 is unreachable by a = sigmoid/);
    expect(() => new CtEiRnn({ ...base, recurrentMask: new Array(99).fill(1) })).toThrow(/recurrentMask must be 10 x 10 = 100 values \(post x pre\); got 99/);
    expect(() => new CtEiRnn({ ...base, recurrentMask: [[1, 1], [1, 1]] })).toThrow(/recurrentMask must be 10 x 10 .* got 2 rows, row 0 of length 2/);
    expect(() => new CtEiRnn({ ...base, recurrentMask: new Array(100).fill(2) })).toThrow(/recurrentMask entries must be 0 or 1; entry \(0, 0\) was 2/);
    expect(() => new CtEiRnn({ ...base, excitatoryFraction: 1 })).toThrow(/excitatoryFraction 1 of 10 units leaves no inhibitory unit \(n_e = 10, n_i = 0\)/);
    expect(() => new CtEiRnn({ ...base, excitatoryFraction: 0.05 })).toThrow(/excitatoryFraction 0.05 of 10 units leaves no excitatory unit/);
    expect(() => new CtEiRnn({ ...base, excitatoryFraction: 1.2 })).toThrow(/excitatoryFraction must be a number in \[0, 1\] .*; got 1.2/);
    expect(() => new CtEiRnn({ ...base, trainTau: true, tauBounds: [5, 500] })).toThrow(/tauBounds\[0\] \(tau_min\) = 5 ms must be >= dt = 20 ms/);
    expect(() => new CtEiRnn({ ...base, trainTau: true, tauBounds: [20, 90] })).toThrow(/strictly inside tauBounds \(20, 90\) ms; got 100/);
    expect(() => new CtEiRnn({ ...base, kind: "lstm" as never })).toThrow(/unknown kind "lstm"/);
    const layer = new CtEiRnn(base);
    layer.build([null, 4, 3]);
    const bad = tf.zeros([2, 4, 5]);
    expect(() => layer.apply(bad)).toThrow(/expected axis -1 of input shape to have value 3|input width must be 3/);
    bad.dispose();
  });
});
