import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { maxRelativeError, normalArray, useBackendWithLeakCheck } from "@dale-nn/test-support";
import { createRandomSource } from "@dale-nn/ei-init";
import { parameterMeta } from "@dale-nn/core";
import { standardEiCellStep, standardEiCellUnroll } from "./standard-ei-cell.js";
import { StandardEiConvRnn, type StandardEiConvRnnArgs } from "./standard-ei-conv-rnn-layer.js";
import { standardEiCell64 } from "./test-support/float64-conv.js";
import { compareWithFiniteDifferences, options64, randomImages, randomizeCellWeights, stackSteps } from "./test-support/cell-harness.js";
import { weightsOf } from "./test-support/layer-weights.js";
import type { KernelConstraint } from "./kernel-constraint.js";
import type { PrincipalSign } from "./conv-cell-options.js";

const B = 2, H = 5, W = 5, CIN = 2, E = 4, I = 2, T = 3;

function makeLayer(extra: Partial<StandardEiConvRnnArgs>, seed = 1): StandardEiConvRnn {
  const layer = new StandardEiConvRnn({ principalChannels: E, interneuronChannels: I, timeSteps: T, seed, returnSequences: true, ...extra });
  layer.build([null, H, W, CIN]);
  return layer;
}

describe("StandardEI cell", () => {
  useBackendWithLeakCheck("cpu", { disposeVariables: true });

  it(`standardEiCellUnroll(x, params, options) equals a float64 StandardEI cell over ${T} steps for all 3 × 2 × 2 × 3 constraint / principal / ablation / BatchNorm variants`, () => {
    const rng = createRandomSource(6);
    let worst = 0;
    for (const constraint of ["abs", "projected", "none"] as KernelConstraint[])
      for (const principal of ["excitatory", "inhibitory"] as PrincipalSign[])
        for (const ablation of ["none", "no-i"] as const)
          for (const bnMode of ["train", "inference", "off"] as const) {
            const layer = makeLayer({ constraint, principal, ablation, batchNorm: bnMode !== "off", forgetOffset: 0.6 });
            const host = randomizeCellWeights(layer, Math.floor(rng.uniform() * 1e6), constraint === "projected");
            const x = randomImages(rng, B, H, W, CIN);
            const e0 = randomImages(rng, B, H, W, E);
            const i0 = randomImages(rng, B, H, W, I);
            const training = bnMode === "train";
            const ref = standardEiCell64([x.host, x.host, x.host], host, { E, I }, options64(layer, host, training), { e: e0.host, i: i0.host });
            const [ge, gi] = tf.tidy(() => {
              const r = standardEiCellUnroll(x.tensor, layer.cellParams(), {
                ...layer.cellOptions,
                timeSteps: T,
                initialState: { e: e0.tensor, i: i0.tensor },
                batchNorm: layer.useBatchNorm ? { steps: layer.batchNormParams(), training, epsilon: layer.batchNormEpsilon } : null,
              });
              return [tf.stack(r.outputs, 1), tf.stack(r.inhibitory, 1)];
            });
            const label = `${constraint}/${principal}/${ablation}/${bnMode}`;
            const errE = maxRelativeError(ge!.dataSync(), stackSteps(ref.e));
            expect(errE, label).toBeLessThan(1e-5);
            if (ablation === "no-i") expect(Math.max(...gi!.dataSync().map(Math.abs))).toBe(0);
            else expect(maxRelativeError(gi!.dataSync(), stackSteps(ref.i)), label).toBeLessThan(1e-5);
            worst = Math.max(worst, errE);
            tf.dispose([ge!, gi!, x.tensor, e0.tensor, i0.tensor]);
            tf.disposeVariables();
          }
    console.log(`standardEiCellUnroll vs float64 (36 variants): worst max error / max |E| = ${worst.toExponential(2)}`);
  });

  it("standardEiCellStep(x, state, params) equals one step of standardEiCellUnroll", () => {
    const rng = createRandomSource(3);
    const layer = makeLayer({ batchNorm: false });
    randomizeCellWeights(layer, 4, false);
    const x = randomImages(rng, B, H, W, CIN);
    tf.tidy(() => {
      const s = { e: tf.zeros([B, H, W, E]) as tf.Tensor4D, i: tf.zeros([B, H, W, I]) as tf.Tensor4D };
      const a = standardEiCellStep(x.tensor, s, layer.cellParams());
      const b = standardEiCellUnroll([x.tensor], layer.cellParams());
      expect(maxRelativeError(a.output.dataSync(), b.outputs[0]!.dataSync())).toBe(0);
      expect(() => standardEiCellStep(x.tensor, s, layer.cellParams(), { ablation: "no-ig" })).toThrow(/ablation must be one of "none", "no-i"; got "no-ig"/);
      expect(() => standardEiCellStep(x.tensor, { e: s.e, i: tf.zeros([B, H, W, 3]) as tf.Tensor4D }, layer.cellParams())).toThrow(/state.i must be \[batch, H, W, 2\]; got shape \[2, 5, 5, 3\]/);
    });
    x.tensor.dispose();
  });

  const fdCases: Array<{ label: string; args: Partial<StandardEiConvRnnArgs>; training?: boolean; sequence?: boolean }> = [
    { label: "StandardEI, BatchNorm (training)", args: {} },
    { label: "StandardEI, no BatchNorm", args: { batchNorm: false } },
    { label: "InhPN-EI", args: { principal: "inhibitory" } },
    { label: "NoConstraint-EI", args: { constraint: "none" } },
    { label: "projected kernels", args: { constraint: "projected" } },
    { label: "no-I", args: { ablation: "no-i" } },
    { label: "BatchNorm inference mode, paper offset", args: { forgetOffset: 0 }, training: false },
    { label: "sequence input", args: {}, sequence: true },
  ];
  for (const c of fdCases) {
    it(`StandardEiConvRnn gradients (kernels, biases, f̃, BatchNorm γ / β per step) match float64 central finite differences (${c.label})`, () => {
      const rng = createRandomSource(31);
      const layer = makeLayer(c.args, 4);
      const training = c.training ?? true;
      const host = randomizeCellWeights(layer, 19, c.args.constraint === "projected");
      const xs = c.sequence ? [0, 1, 2].map(() => randomImages(rng, B, H, W, CIN)) : [randomImages(rng, B, H, W, CIN)];
      const R = normalArray(rng, B * T * H * W * E);
      const loss64 = (): number => {
        const ref = standardEiCell64(c.sequence ? xs.map((x) => x.host) : [xs[0]!.host, xs[0]!.host, xs[0]!.host], host, { E, I }, options64(layer, host, training));
        const y = stackSteps(ref.e);
        let s = 0;
        for (let k = 0; k < y.length; k++) s += y[k]! * R[k]!;
        return s;
      };
      const x = c.sequence ? tf.stack(xs.map((v) => v.tensor), 1) : xs[0]!.tensor;
      const Rt = tf.tensor(Float32Array.from(R), [B, T, H, W, E]);
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x, { training }) as tf.Tensor, Rt)) as tf.Scalar);
      try {
        expect(value.dataSync()[0]! / loss64()).toBeCloseTo(1, 4);
        const w = weightsOf(layer);
        const worst = compareWithFiniteDifferences(c.label, w, grads, host, loss64);
        console.log(`StandardEiConvRnn (${c.label}): ${Object.keys(w).length} parameter groups, worst gradient error ${worst.toExponential(2)}`);
      } finally {
        tf.dispose([x, Rt, value, ...Object.values(grads), ...xs.map((v) => v.tensor)]);
      }
    });
  }

  it("StandardEiConvRnn tags kernels weight, biases bias, f̃ free (Glorot 1-D, |f̃| <= √(3/n)), BatchNorm γ / β free", () => {
    const layer = makeLayer({});
    const w = weightsOf(layer);
    expect(Object.keys(w).length).toBe(12 + 4 + 2 * T);
    expect(parameterMeta(w.fE!)).toMatchObject({ role: "free", constraint: { kind: "free" }, sizes: { d: CIN, ne: E, ni: I } });
    expect(parameterMeta(w.bI!)).toMatchObject({ role: "bias" });
    expect(parameterMeta(w.iToE_pointwise!)).toMatchObject({ role: "weight", constraint: { kind: "free" } });
    expect(Math.max(...w.fE!.dataSync().map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(3 / E));
    expect(w.bE!.dataSync().every((v) => v === 0)).toBe(true);
    expect(layer.connections().map((c) => `${c.source}>${c.target}:${c.sign}`)).toEqual(["X>E:1", "X>I:1", "E>E:1", "E>I:1", "I>E:-1", "I>I:-1"]);
    expect(() => new StandardEiConvRnn({ principalChannels: 4, interneuronChannels: 1, timeSteps: 4, seed: 0, ablation: "no-og" })).toThrow(/ablation must be one of "none", "no-i"; got "no-og"/);
  });
});
