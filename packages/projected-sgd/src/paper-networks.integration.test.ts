/**
 * Cornford et al. (2021), Alg. 2 on the paper's networks: after every one of 1,000 projected-SGD
 * steps on random data, at learning rates up to 10, no constrained parameter has the wrong sign,
 * and the tensor count does not grow.
 */
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { buildPaperNetwork, buildRecurrentNetwork, type PaperModelKind } from "@dale-nn/ei-layers";
import { dannUpdateCorrection } from "@dale-nn/fisher-correction";
import { createRandomSource } from "@dale-nn/ei-init";
import { ProjectedSGD } from "./projected-sgd.js";
import { signViolations, totalViolations } from "./sign-violations.js";

const STEPS = 1000;

describe("ProjectedSGD on the paper's networks (random data)", () => {
  useBackendWithLeakCheck("cpu", { disposeVariables: true });

  const cases: Array<{ kind: PaperModelKind; signFrozen?: boolean; correction: boolean }> = [
    { kind: "dann", correction: true },
    { kind: "columnei", correction: false },
    { kind: "mlp", signFrozen: true, correction: false },
  ];
  for (const { kind, signFrozen, correction } of cases) {
    for (const lr of [0.1, 10]) {
      it(`${STEPS} ProjectedSGD steps at lr ${lr} on a ${kind}${signFrozen ? " (sign-frozen)" : ""} network keep every sign constraint and leak no tensor`, () => {
        const rng = createRandomSource(7);
        const d = 20;
        const model = buildPaperNetwork({ kind, seed: 1, inputs: d, hidden: [16, 16], inhibitory: 3, outputs: 4, inputMean: 0.5, signFrozen });
        const optimizer = new ProjectedSGD({ learningRate: lr, transforms: correction ? [dannUpdateCorrection()] : [] });
        const x = tf.tensor2d(Float32Array.from({ length: 8 * d }, () => rng.uniform()), [8, d]);
        const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from({ length: 8 }, () => rng.integer(4)), "int32"), 4));
        // Record frozen signs at init (the first step records them before it moves anything).
        const initialSigns = signFrozen ? model.trainableWeights.filter((w) => w.shape.length === 2).map((w) => Array.from(w.read().dataSync(), Math.sign)) : [];
        const initial = model.trainableWeights.map((w) => Float32Array.from(w.read().dataSync()));
        let tensorsAfterFirstStep = -1;
        let worst = 0;
        for (let step = 0; step < STEPS; step++) {
          tf.tidy(() => {
            const xs = tf.add(x, tf.randomUniform(x.shape, 0, 0.5, "float32", step)); // fresh random (non-negative) data each step
            optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(xs, { training: true }) as tf.Tensor));
          });
          worst = Math.max(worst, totalViolations(signViolations(model, { frozenSigns: optimizer })));
          if (step === 0) tensorsAfterFirstStep = tf.memory().numTensors;
        }
        expect(worst).toBe(0);
        // The steps really moved the weights (the check above is not vacuous).
        const moved = model.trainableWeights.filter((w, i) => w.read().dataSync().some((v, j) => v !== initial[i]![j])).length;
        expect(moved).toBeGreaterThan(model.trainableWeights.length / 2);
        expect(tf.memory().numTensors).toBe(tensorsAfterFirstStep);
        if (signFrozen) {
          const now = model.trainableWeights.filter((w) => w.shape.length === 2).map((w) => Array.from(w.read().dataSync(), Math.sign));
          now.forEach((signs, i) => expect(signs).toEqual(initialSigns[i]!.map((s) => (s === 0 ? 1 : s))));
        }
        tf.dispose([x, y]);
        optimizer.dispose();
      });
    }
  }

  for (const [kind, divisive] of [["colei", false], ["dann", false], ["dann", true]] as const) {
    it(`300 ProjectedSGD steps with clipping at lr 1 on a ${kind}${divisive ? " (divisive)" : ""} RNN (BPTT over 6 steps) keep every sign constraint and leak no tensor`, () => {
      const rng = createRandomSource(9);
      const model = buildRecurrentNetwork({ kind, seed: 2, steps: 6, inputs: 5, hidden: [12, 12], dense: [8], outputs: 3, inhibitoryFraction: 0.25, inputMean: 0.5, divisive });
      const optimizer = new ProjectedSGD({
        learningRate: 1,
        transforms: kind === "dann" ? [dannUpdateCorrection()] : [],
        clipNorm: { maxNorm: 5, scope: kind === "colei" ? "per-tensor" : "global" },
      });
      const x = tf.tensor3d(Float32Array.from({ length: 8 * 6 * 5 }, () => rng.uniform()), [8, 6, 5]);
      const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from({ length: 8 }, () => rng.integer(3)), "int32"), 3));
      const initial = model.trainableWeights.map((w) => Float32Array.from(w.read().dataSync()));
      let worst = 0;
      let tensorsAfterFirstStep = -1;
      for (let step = 0; step < 300; step++) {
        tf.tidy(() => {
          const xs = tf.add(x, tf.randomUniform(x.shape, 0, 0.5, "float32", step));
          optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(xs) as tf.Tensor));
        });
        worst = Math.max(worst, totalViolations(signViolations(model)));
        if (step === 0) tensorsAfterFirstStep = tf.memory().numTensors;
      }
      expect(worst).toBe(0);
      expect(tf.memory().numTensors).toBe(tensorsAfterFirstStep);
      const moved = model.trainableWeights.filter((w, i) => w.read().dataSync().some((v, j) => v !== initial[i]![j])).length;
      expect(moved).toBeGreaterThan(model.trainableWeights.length / 2);
      tf.dispose([x, y]);
      optimizer.dispose();
    });
  }
});
