import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { centralDifferencesInPlace, normalArray, relativeError, saveToMemory, uniformArray, useBackendWithLeakCheck } from "@dale-nn/test-support";
import { createRandomSource } from "@dale-nn/ei-init";
import { rnnForward, composeDann } from "./recurrent.js";
import { EiRnn } from "./ei-rnn-layer.js";
import { buildRecurrentNetwork } from "./recurrent-networks.js";
import { parameterMeta } from "@dale-nn/core";
import { weightsOf } from "./test-support/layer-weights.js";
import { rnn64 } from "./test-support/float64-reference.js";

/** Float64 reference of h_t = ReLU(U x_t + W h_{t−1} + b) with U, W given per (row, col). */
function dann64(ee: Float64Array, ie: Float64Array, ei: Float64Array, ne: number, ni: number, d: number): Float64Array {
  const m = new Float64Array(ne * d);
  for (let r = 0; r < ne; r++) for (let c = 0; c < d; c++) {
    let s = 0;
    for (let k = 0; k < ni; k++) s += ei[r * ni + k]! * ie[k * d + c]!;
    m[r * d + c] = ee[r * d + c]! - s;
  }
  return m;
}


describe("recurrent layers", () => {
  useBackendWithLeakCheck("cpu", { disposeVariables: true });

  const B = 2, T = 4, d = 3;
  const rng = createRandomSource(11);
  const xs = uniformArray(rng, B * T * d);

  for (const kind of ["standard", "colei", "dann"] as const) {
    it(`EiRnn({kind:'${kind}'}) matches a float64 RNN and its BPTT gradients match float64 finite differences over ${T} steps`, () => {
      const n = 5;
      const layer = new EiRnn({
        kind, units: n, seed: 3, returnSequences: true,
        ...(kind !== "standard" ? { inhibitoryUnits: 2 } : {}),
        ...(kind === "colei" ? { firstLayer: { inputMean: 0.1 } } : {}),
      });
      layer.build([null, T, d]);
      const w = weightsOf(layer);
      // Move off the init so that ReLUs are active and every factor matters.
      tf.tidy(() => {
        for (const v of Object.values(w)) v.assign(tf.add(v, tf.mul(tf.randomUniform(v.shape, 0, 0.2, "float32", 5), tf.sign(tf.add(v, 1e-3)))));
        w.bias!.assign(tf.fill(w.bias!.shape, 0.3));
      });
      const host = Object.fromEntries(Object.entries(w).map(([k, v]) => [k, Float64Array.from(v.dataSync())]));
      const R = normalArray(rng, B * T * n);
      const effective = (): { u: Float64Array; ww: Float64Array } =>
        kind === "dann"
          ? { u: dann64(host.uEE!, host.uIE!, host.uEI!, n, 2, d), ww: dann64(host.wEE!, host.wIE!, host.wEI!, n, 2, n) }
          : { u: host.u!, ww: host.w! };
      const loss64 = (): number => {
        const { u, ww } = effective();
        const h = rnn64(xs, B, T, d, u, ww, host.bias!, n);
        let s = 0;
        for (let i = 0; i < h.length; i++) s += h[i]! * R[i]!;
        return s;
      };
      const x = tf.tensor3d(Float32Array.from(xs), [B, T, d]);
      const Rt = tf.tensor3d(Float32Array.from(R), [B, T, n]);
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, Rt)) as tf.Scalar);
      expect(value.dataSync()[0]).toBeCloseTo(loss64(), 4);
      for (const [name, v] of Object.entries(w)) {
        const fd = centralDifferencesInPlace(host[name]!, loss64);
        const err = relativeError(grads[v.name]!.dataSync(), fd);
        expect(err, `${kind} ${name}: ${err}`).toBeLessThan(1e-4);
      }
      tf.dispose([x, Rt, value, ...Object.values(grads)]);
    });
  }

  it("EiRnn({kind:'dann', divisive:true}) gradients (all 10 parameter groups) match float64 finite differences over 4 steps", () => {
    const ne = 5, ni = 2;
    const layer = new EiRnn({ kind: "dann", units: ne, inhibitoryUnits: ni, seed: 6, returnSequences: true, divisive: true });
    layer.build([null, T, d]);
    const w = weightsOf(layer);
    expect(Object.keys(w).sort()).toEqual(["alphaU", "alphaW", "bias", "g", "uEE", "uEI", "uIE", "wEE", "wEI", "wIE"]);
    expect(parameterMeta(w.alphaW!)).toMatchObject({ role: "alpha", sizes: { d: ne } });
    tf.tidy(() => {
      for (const k of ["uEE", "uIE", "uEI", "wEE", "wIE", "wEI"]) w[k]!.assign(tf.add(w[k]!, tf.randomUniform(w[k]!.shape, 0, 0.3, "float32", 7)));
      w.alphaU!.assign(tf.tensor1d([-0.5, 0.2]));
      w.alphaW!.assign(tf.tensor1d([0.1, -0.3]));
      w.g!.assign(tf.tensor1d([1, 0.8, 1.2, 0.9, 1.1]));
      w.bias!.assign(tf.fill([ne], 0.4));
    });
    const host = Object.fromEntries(Object.entries(w).map(([k, v]) => [k, Float64Array.from(v.dataSync())]));
    const R = normalArray(rng, B * T * ne);
    const mv = (m: Float64Array, rows: number, cols: number, v: ArrayLike<number>): Float64Array => {
      const out = new Float64Array(rows);
      for (let i = 0; i < rows; i++) { let s2 = 0; for (let k = 0; k < cols; k++) s2 += m[i * cols + k]! * v[k]!; out[i] = s2; }
      return out;
    };
    const loss64 = (): number => {
      let total = 0;
      for (let s = 0; s < B; s++) {
        let h = new Float64Array(ne);
        for (let t = 0; t < T; t++) {
          const xt = xs.subarray((s * T + t) * d, (s * T + t + 1) * d);
          const zE = mv(host.uEE!, ne, d, xt).map((v, i) => v + mv(host.wEE!, ne, ne, h)[i]!);
          const a = mv(host.uIE!, ni, d, xt);
          const r = mv(host.wIE!, ni, ne, h);
          const sub = mv(host.uEI!, ne, ni, a).map((v, i) => v + mv(host.wEI!, ne, ni, r)[i]!);
          const ea = a.map((v, j) => v * Math.exp(host.alphaU![j]!));
          const er = r.map((v, j) => v * Math.exp(host.alphaW![j]!));
          const gamma = mv(host.uEI!, ne, ni, ea).map((v, i) => v + mv(host.wEI!, ne, ni, er)[i]! + 1e-8);
          h = zE.map((v, i) => Math.max(0, (host.g![i]! * (v - sub[i]!)) / gamma[i]! + host.bias![i]!));
          for (let i = 0; i < ne; i++) total += h[i]! * R[(s * T + t) * ne + i]!;
        }
      }
      return total;
    };
    const x = tf.tensor3d(Float32Array.from(xs), [B, T, d]);
    const Rt = tf.tensor3d(Float32Array.from(R), [B, T, ne]);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, Rt)) as tf.Scalar);
    expect(value.dataSync()[0]).toBeCloseTo(loss64(), 3);
    for (const [name, v] of Object.entries(w)) {
      const fd = centralDifferencesInPlace(host[name]!, loss64);
      const err = relativeError(grads[v.name]!.dataSync(), fd);
      expect(err, `divisive ${name}: ${err}`).toBeLessThan(1e-4);
    }
    tf.dispose([x, Rt, value, ...Object.values(grads)]);
    expect(() => new EiRnn({ kind: "colei", units: 4, inhibitoryUnits: 1, seed: 0, firstLayer: { inputMean: 0 }, divisive: true })).toThrow(/divisive inhibition applies to kind "dann" only/);
  });

  it("EiRnn tags DANN factors with the recurrent sizes (U: d = input width, W: d = n_e) and ColEI columns with their signs", () => {
    const dann = new EiRnn({ kind: "dann", units: 20, inhibitoryUnits: 2, seed: 0 });
    dann.build([null, 7, 28]);
    const w = weightsOf(dann);
    expect(parameterMeta(w.uIE!)).toMatchObject({ role: "IE", constraint: { kind: "nonneg" }, sizes: { d: 28, ne: 20, ni: 2 } });
    expect(parameterMeta(w.wEI!)).toMatchObject({ role: "EI", sizes: { d: 20, ne: 20, ni: 2 } });
    const colei = new EiRnn({ kind: "colei", units: 20, inhibitoryUnits: 2, seed: 0, firstLayer: { inputMean: 0.13 } });
    colei.build([null, 7, 28]);
    expect(parameterMeta(weightsOf(colei).w!)?.constraint).toEqual({ kind: "column-sign", nonnegColumns: 18 });
    expect(parameterMeta(weightsOf(colei).u!)?.constraint).toEqual({ kind: "nonneg" });
  });

  it("EiRnn({kind:'dann', rho}) starts with W = W_EE − W_EI W_IE at spectral radius ρ", async () => {
    const { spectralRadius } = await import("@dale-nn/spectra");
    const layer = new EiRnn({ kind: "dann", units: 30, inhibitoryUnits: 3, seed: 4, rho: 0.9 });
    layer.build([null, 5, 7]);
    const eff = layer.effectiveWeights();
    expect(spectralRadius(eff.w)).toBeCloseTo(0.9, 4);
    tf.dispose([eff.u, eff.w, eff.bias]);
    expect(() => new EiRnn({ kind: "dann", units: 30, inhibitoryUnits: 3, seed: 4, rho: -1 })).toThrow(/rho must be a finite number > 0; got -1/);
  });

  it("EiRnn({kind:'standard', rho}) starts with W at spectral radius ρ, and without rho at the natural scale (≈ 1/√3)", async () => {
    const { spectralRadius } = await import("@dale-nn/spectra");
    const radius = (rho?: number): number => {
      const layer = new EiRnn({ kind: "standard", units: 200, seed: 4, ...(rho !== undefined ? { rho } : {}) });
      layer.build([null, 5, 7]);
      const eff = layer.effectiveWeights();
      const r = spectralRadius(eff.w);
      tf.dispose([eff.u, eff.w, eff.bias]);
      return r;
    };
    expect(radius(0.2)).toBeCloseTo(0.2, 4);
    expect(radius(6)).toBeCloseTo(6, 3);
    expect(Math.abs(radius() - 1 / Math.sqrt(3))).toBeLessThan(0.06);
  });

  it("signFrozen: true tags U and W frozen-sign, \"recurrent\" W only (the reference's WClampMixin); buildRecurrentNetwork freezes the readout too, and other kinds refuse it", () => {
    const constraintsOf = (signFrozen: boolean | "recurrent") => {
      const layer = new EiRnn({ kind: "standard", units: 6, seed: 0, signFrozen });
      layer.build([null, 5, 4]);
      const w = weightsOf(layer);
      return [parameterMeta(w.u!)?.constraint, parameterMeta(w.w!)?.constraint, parameterMeta(w.bias!)?.constraint];
    };
    expect(constraintsOf(true)).toEqual([{ kind: "frozen-sign" }, { kind: "frozen-sign" }, { kind: "free" }]);
    expect(constraintsOf("recurrent")).toEqual([{ kind: "free" }, { kind: "frozen-sign" }, { kind: "free" }]);
    expect(constraintsOf(false)).toEqual([{ kind: "free" }, { kind: "free" }, { kind: "free" }]);
    const model = buildRecurrentNetwork({ kind: "standard", seed: 1, hidden: [6], dense: [], outputs: 3, steps: 5, inputs: 4, signFrozen: "recurrent" });
    const [rnn, readout] = model.layers.map(weightsOf) as [Record<string, tf.Variable>, Record<string, tf.Variable>];
    expect([rnn.u, rnn.w, readout.w].map((v) => parameterMeta(v!)?.constraint?.kind)).toEqual(["free", "frozen-sign", "frozen-sign"]);
    expect(() => new EiRnn({ kind: "colei", units: 4, inhibitoryUnits: 1, seed: 0, firstLayer: { inputMean: 0 }, signFrozen: true })).toThrow(/signFrozen applies to kind "standard" only; got kind "colei"/);
    expect(() => new EiRnn({ kind: "standard", units: 4, seed: 0, signFrozen: "input" as never })).toThrow(/signFrozen must be true, false or "recurrent"; got "input"/);
    expect(() => buildRecurrentNetwork({ kind: "dann", seed: 0, signFrozen: "recurrent" })).toThrow(/signFrozen applies to kind "standard" only; got kind "dann"/);
    model.dispose();
  });

  it("composeDann and rnnForward reject bad shapes, sequence length 0 and a mismatched input width", () => {
    const u = tf.ones([4, 3]) as tf.Tensor2D, w = tf.ones([4, 4]) as tf.Tensor2D, bias = tf.zeros([4]) as tf.Tensor1D;
    const empty = tf.zeros([2, 0, 3]) as tf.Tensor3D;
    expect(() => rnnForward(empty, { u, w, bias })).toThrow(/sequence length must be >= 1; got 0/);
    const wide = tf.zeros([2, 5, 6]) as tf.Tensor3D;
    expect(() => rnnForward(wide, { u, w, bias })).toThrow(/input width must be 3 \(columns of U\); got 6/);
    const ie = tf.ones([2, 5]) as tf.Tensor2D, ei = tf.ones([4, 2]) as tf.Tensor2D;
    expect(() => composeDann({ ee: u, ie, ei })).toThrow(/factor shapes must be EE \[ne, d\], IE \[ni, d\], EI \[ne, ni\]; got EE \[4, 3\], IE \[2, 5\]/);
    tf.dispose([u, w, bias, empty, wide, ie, ei]);
    expect(() => new EiRnn({ kind: "lstm" as never, units: 3, seed: 0 })).toThrow(/unknown kind "lstm"/);
  });

  for (const kind of ["standard", "colei", "dann"] as const) {
    it(`buildRecurrentNetwork({kind:'${kind}'}) maps [batch, 28, 28] to [batch, 10] logits and survives a save/load round trip`, async () => {
      const model = buildRecurrentNetwork({ kind, seed: 1, hidden: [12, 12], dense: [8] });
      const x = tf.randomUniform([3, 28, 28], 0, 1, "float32", 2);
      const y = model.predict(x) as tf.Tensor;
      expect(y.shape).toEqual([3, 10]);
      const loaded = await tf.loadLayersModel(tf.io.fromMemory(await saveToMemory(model)));
      const y2 = loaded.predict(x) as tf.Tensor;
      expect(relativeError(y2.dataSync(), y.dataSync())).toBeLessThan(1e-6);
      tf.dispose([x, y, y2]);
    });
  }
});
