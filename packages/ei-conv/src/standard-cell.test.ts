import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { maxRelativeError, normalArray, useBackendWithLeakCheck } from "@dale-nn/test-support";
import { createRandomSource } from "@dale-nn/ei-init";
import { parameterMeta } from "@dale-nn/core";
import { standardCellStep, standardCellUnroll } from "./standard-cell.js";
import { StandardConvRnn, type StandardConvRnnArgs } from "./standard-conv-rnn-layer.js";
import { standardCell64, type Maps } from "./test-support/float64-conv.js";
import { compareWithFiniteDifferences, hostWeights, options64, randomImages, randomizeCellWeights, stackSteps } from "./test-support/cell-harness.js";
import { weightsOf } from "./test-support/layer-weights.js";
import type { KernelConstraint } from "./kernel-constraint.js";
import type { ConvCellAblation, PrincipalSign } from "./conv-cell-options.js";

const B = 2, H = 5, W = 5, CIN = 2, P = 3, G = 2, O = 2, T = 3;

function makeLayer(extra: Partial<StandardConvRnnArgs>, seed = 1): StandardConvRnn {
  const layer = new StandardConvRnn({ principalChannels: P, inputGateChannels: G, outputGateChannels: O, timeSteps: T, seed, returnSequences: true, ...extra });
  layer.build([null, H, W, CIN]);
  return layer;
}

describe("Standard cell", () => {
  useBackendWithLeakCheck("cpu", { disposeVariables: true });

  const constraints: KernelConstraint[] = ["abs", "projected", "none"];
  const principals: PrincipalSign[] = ["excitatory", "inhibitory"];
  const ablations: ConvCellAblation[] = ["none", "no-ig", "no-og", "no-i"];
  const bnModes = ["train", "inference", "off"] as const;

  it(`standardCellUnroll(x, params, options) equals a float64 Standard cell over ${T} steps for all 3 × 2 × 4 × 3 constraint / principal / ablation / BatchNorm variants`, () => {
    const rng = createRandomSource(5);
    let worst = 0;
    for (const constraint of constraints)
      for (const principal of principals)
        for (const ablation of ablations)
          for (const bnMode of bnModes) {
            const layer = makeLayer({ constraint, principal, ablation, batchNorm: bnMode !== "off", forgetOffset: 0.7, inhibitoryPrincipalOffset: 0.4 });
            const host = randomizeCellWeights(layer, Math.floor(rng.uniform() * 1e6), constraint === "projected");
            const x = randomImages(rng, B, H, W, CIN);
            // A non-zero initial state checks the recurrent path from the first step.
            const pn0 = randomImages(rng, B, H, W, P);
            const c0 = randomImages(rng, B, H, W, P);
            const training = bnMode === "train";
            const ref = standardCell64([x.host, x.host, x.host], host, { P, G, O }, options64(layer, host, training), { pn: pn0.host, c: c0.host });
            const got = tf.tidy(() => {
              const r = standardCellUnroll(x.tensor, layer.cellParams(), {
                ...layer.cellOptions,
                timeSteps: T,
                initialState: { pn: pn0.tensor, c: c0.tensor },
                batchNorm: layer.useBatchNorm ? { steps: layer.batchNormParams(), training, epsilon: layer.batchNormEpsilon } : null,
              });
              return [tf.stack(r.outputs), tf.stack(r.ig), tf.stack(r.og), r.state.c];
            });
            const label = `${constraint}/${principal}/${ablation}/${bnMode}`;
            const pairs: Array<[tf.Tensor, Maps[]]> = [[got[0]!, ref.pn], [got[1]!, ref.ig], [got[2]!, ref.og], [got[3]!, [ref.c[T - 1]!]]];
            for (const [t, r] of pairs) {
              const flat = new Float64Array(r.reduce((s, m) => s + m.data.length, 0));
              let k = 0;
              for (const m of r) { flat.set(m.data, k); k += m.data.length; }
              const err = maxRelativeError(t.dataSync(), flat);
              worst = Math.max(worst, err);
              expect(err, label).toBeLessThan(1e-5);
            }
            if (ablation === "no-ig" || ablation === "no-i") expect(Math.max(...got[1]!.dataSync())).toBe(0);
            if (ablation === "no-og" || ablation === "no-i") expect(Math.max(...got[2]!.dataSync())).toBe(0);
            tf.dispose([...got, x.tensor, pn0.tensor, c0.tensor]);
            tf.disposeVariables();
          }
    console.log(`standardCellUnroll vs float64 (72 variants): worst max error / max |y| = ${worst.toExponential(2)}`);
  });

  it("standardCellStep(x, state, params) equals one step of standardCellUnroll, and a sequence input equals the float64 cell fed X_1 … X_T", () => {
    const rng = createRandomSource(8);
    const layer = makeLayer({ batchNorm: true });
    const host = randomizeCellWeights(layer, 3, false);
    const xs = [0, 1, 2].map(() => randomImages(rng, B, H, W, CIN));
    tf.tidy(() => {
      const zeros = tf.zeros([B, H, W, P]) as tf.Tensor4D;
      const bnp = layer.batchNormParams();
      const step = standardCellStep(xs[0]!.tensor, { pn: zeros, c: zeros }, layer.cellParams(), { batchNorm: { params: bnp[0]!, training: true } });
      const unrolled = standardCellUnroll([xs[0]!.tensor], layer.cellParams(), { batchNorm: { steps: [bnp[0]!], training: true } });
      expect(maxRelativeError(step.output.dataSync(), unrolled.outputs[0]!.dataSync())).toBe(0);
      const seq = standardCellUnroll(xs.map((x) => x.tensor), layer.cellParams(), { batchNorm: { steps: bnp, training: true } });
      const ref = standardCell64(xs.map((x) => x.host), host, { P, G, O }, options64(layer, host, true));
      expect(maxRelativeError(tf.stack(seq.outputs, 1).dataSync(), stackSteps(ref.pn))).toBeLessThan(1e-5);
      // Through the layer: rank-5 input [B, T, H, W, C].
      const x5 = tf.stack(xs.map((x) => x.tensor), 1);
      const y = layer.apply(x5, { training: true }) as tf.Tensor;
      expect(y.shape).toEqual([B, T, H, W, P]);
      expect(maxRelativeError(y.dataSync(), stackSteps(ref.pn))).toBeLessThan(1e-5);
    });
    tf.dispose(xs.map((x) => x.tensor));
  });

  const fdCases: Array<{ label: string; args: Partial<StandardConvRnnArgs>; training?: boolean; sequence?: boolean }> = [
    { label: "Standard, BatchNorm (training)", args: {} },
    { label: "Standard, no BatchNorm", args: { batchNorm: false } },
    { label: "InhPN", args: { principal: "inhibitory" } },
    { label: "NoConstraint", args: { constraint: "none" } },
    { label: "projected kernels", args: { constraint: "projected" } },
    { label: "no-IG", args: { ablation: "no-ig" } },
    { label: "no-OG, no BatchNorm", args: { ablation: "no-og", batchNorm: false } },
    { label: "no-I", args: { ablation: "no-i" } },
    { label: "BatchNorm inference mode, paper offsets", args: { forgetOffset: 0 }, training: false },
    { label: "sequence input", args: {}, sequence: true },
  ];
  for (const c of fdCases) {
    it(`StandardConvRnn gradients match float64 central finite differences for every parameter group (${c.label})`, () => {
      const rng = createRandomSource(21);
      const layer = makeLayer(c.args, 4);
      const training = c.training ?? true;
      const host = randomizeCellWeights(layer, 17, c.args.constraint === "projected");
      const xs = c.sequence ? [0, 1, 2].map(() => randomImages(rng, B, H, W, CIN)) : [randomImages(rng, B, H, W, CIN)];
      const R = normalArray(rng, B * T * H * W * P);
      const loss64 = (): number => {
        const ref = standardCell64(c.sequence ? xs.map((x) => x.host) : [xs[0]!.host, xs[0]!.host, xs[0]!.host], host, { P, G, O }, options64(layer, host, training));
        const y = stackSteps(ref.pn);
        let s = 0;
        for (let k = 0; k < y.length; k++) s += y[k]! * R[k]!;
        return s;
      };
      const x = c.sequence ? tf.stack(xs.map((v) => v.tensor), 1) : xs[0]!.tensor;
      const Rt = tf.tensor(Float32Array.from(R), [B, T, H, W, P]);
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x, { training }) as tf.Tensor, Rt)) as tf.Scalar);
      expect(value.dataSync()[0]! / loss64()).toBeCloseTo(1, 4);
      const w = weightsOf(layer);
      const worst = compareWithFiniteDifferences(c.label, w, grads, host, loss64);
      console.log(`StandardConvRnn (${c.label}): ${Object.keys(w).length} parameter groups, worst gradient relative error ${worst.toExponential(2)}`);
      tf.dispose([x, Rt, value, ...Object.values(grads), ...xs.map((v) => v.tensor)]);
    });
  }

  it("StandardConvRnn updates each step's moving statistics (decay 0.997) in training mode only", () => {
    const rng = createRandomSource(2);
    const layer = makeLayer({});
    const host = randomizeCellWeights(layer, 9, false);
    const x = randomImages(rng, B, H, W, CIN);
    const ref = standardCell64([x.host, x.host, x.host], host, { P, G, O }, options64(layer, host, true));
    tf.tidy(() => { layer.apply(x.tensor, { training: false }); });
    expect(hostWeights(layer)["bn_moving_mean_t1"]).toEqual(host["bn_moving_mean_t1"]);
    tf.tidy(() => { layer.apply(x.tensor, { training: true }); });
    const after = hostWeights(layer);
    for (let t = 0; t < T; t++) {
      const expected = host[`bn_moving_mean_t${t}`]!.map((m, ch) => 0.997 * m + 0.003 * ref.mean[t]![ch]!);
      const expectedVar = host[`bn_moving_variance_t${t}`]!.map((m, ch) => 0.997 * m + 0.003 * ref.variance[t]![ch]!);
      expect(maxRelativeError(after[`bn_moving_mean_t${t}`]!, expected)).toBeLessThan(1e-5);
      expect(maxRelativeError(after[`bn_moving_variance_t${t}`]!, expectedVar)).toBeLessThan(1e-5);
    }
    x.tensor.dispose();
  });

  it("StandardConvRnn tags every parameter: kernels weight (free for abs / none, nonneg for projected), biases bias, BatchNorm γ / β free per step", () => {
    const abs = makeLayer({});
    const names = abs.trainableWeights.map((w) => w.originalName.split("/").pop());
    expect(names.length).toBe(20 + 6 + 2 * T);
    for (const w of abs.trainableWeights) {
      const meta = parameterMeta(w.read() as tf.Variable)!;
      expect(meta, w.name).toBeDefined();
      expect(meta.sizes).toEqual({ d: CIN, ne: P, ni: G + O });
      const short = w.originalName.split("/").pop()!;
      if (short.includes("wise")) expect(meta).toMatchObject({ role: "weight", constraint: { kind: "free" } });
      else if (short.startsWith("bn_")) expect(meta).toMatchObject({ role: "free", constraint: { kind: "free" } });
      else expect(meta).toMatchObject({ role: "bias", constraint: { kind: "free" } });
    }
    const projected = makeLayer({ constraint: "projected" }, 2);
    for (const conn of projected.connections()) {
      expect(parameterMeta(conn.depthwise)!.constraint).toEqual({ kind: "nonneg" });
      expect(Math.min(...conn.pointwise.dataSync(), ...conn.depthwise.dataSync())).toBeGreaterThanOrEqual(0);
    }
    const inh = makeLayer({ principal: "inhibitory" }, 3);
    expect(inh.connections().map((c) => `${c.source}>${c.target}:${c.sign}`)).toEqual([
      "X>f:1", "X>IG:1", "X>OG:1", "X>PN:1", "PN>f:-1", "PN>IG:-1", "PN>OG:-1", "PN>PN:-1", "IG>PN:1", "OG>PN:1",
    ]);
  });

  it("standardCellStep / standardCellUnroll / StandardConvRnn reject bad options and shapes, naming the value", () => {
    const layer = makeLayer({});
    const p = layer.cellParams();
    tf.tidy(() => {
      const x = tf.zeros([1, H, W, CIN]) as tf.Tensor4D;
      const s = { pn: tf.zeros([1, H, W, P]) as tf.Tensor4D, c: tf.zeros([1, H, W, P]) as tf.Tensor4D };
      expect(() => standardCellStep(x, s, p, { constraint: "relu" as never })).toThrow(/constraint must be one of "abs", "projected", "none"; got "relu"/);
      expect(() => standardCellStep(x, s, p, { ablation: "no-e" as never })).toThrow(/ablation must be one of .*got "no-e"/);
      expect(() => standardCellStep(x, s, p, { forgetOffset: Number.NaN })).toThrow(/forgetOffset must be a finite number; got NaN/);
      expect(() => standardCellStep(tf.zeros([1, H, W, 3]) as tf.Tensor4D, s, p)).toThrow(/xToF.depthwise must have shape \[3, 3, 3, 1\]; got \[3, 3, 2, 1\]/);
      expect(() => standardCellStep(x, { pn: tf.zeros([1, 4, 4, P]) as tf.Tensor4D, c: s.c }, p)).toThrow(/state.pn must have the input's batch and image size \[1, 5, 5\]; got \[1, 4, 4, 3\]/);
      expect(() => standardCellUnroll(x, p, {})).toThrow(/a static input \(fed at every step\) needs timeSteps.*got undefined/);
      expect(() => standardCellUnroll([x, x], p, { timeSteps: 3 })).toThrow(/timeSteps is 3 but the input sequence has 2 steps/);
      expect(() => standardCellUnroll(x, p, { timeSteps: 2, batchNorm: { steps: layer.batchNormParams(), training: true } })).toThrow(/batchNorm.steps must have one entry per time step \(2\); got 3/);
      expect(() => layer.apply(tf.zeros([1, H, W, 4]))).toThrow(/axis -1 of input shape to have value 2/);
      expect(() => layer.call(tf.zeros([1, H, W, 4]), {})).toThrow(/input must have 2 channels \(the layer was built for 2\); got 4/);
      expect(() => layer.apply(tf.zeros([1, 6, 5, CIN]))).toThrow(/input images must be 5 × 5 \(the layer was built for them\); got 6 × 5/);
      expect(() => layer.apply(tf.zeros([1, 2, H, W, CIN]))).toThrow(/timeSteps = 3 steps; got 2/);
    });
    expect(() => new StandardConvRnn({ principalChannels: 0, inputGateChannels: 1, outputGateChannels: 1, timeSteps: 4, seed: 0 })).toThrow(/principalChannels must be an integer >= 1; got 0/);
    expect(() => new StandardConvRnn({ principalChannels: 4, inputGateChannels: 1, outputGateChannels: 1, timeSteps: 0, seed: 0 })).toThrow(/timeSteps must be an integer >= 1; got 0/);
    expect(() => new StandardConvRnn({ principalChannels: 4, inputGateChannels: 1, outputGateChannels: 1, timeSteps: 4, seed: -1 })).toThrow(/seed must be an integer >= 0.*got -1/);
    expect(() => new StandardConvRnn({ principalChannels: 4, inputGateChannels: 1, outputGateChannels: 1, timeSteps: 4, seed: 0, batchNormMomentum: 2 })).toThrow(/batchNormMomentum must be a finite number in \[0, 1\]; got 2/);
    expect(() => new StandardConvRnn({ principalChannels: 4, inputGateChannels: 1, outputGateChannels: 1, timeSteps: 4, seed: 0, principal: "both" as never })).toThrow(/principal must be one of "excitatory", "inhibitory"; got "both"/);
  });
});
