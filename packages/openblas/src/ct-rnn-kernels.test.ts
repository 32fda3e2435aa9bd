import * as tf from "@tensorflow/tfjs";
import { ctRnnForward, type CtActivation, type CtRnnParams } from "@dale-nn/ei-layers";
import { describe, expect, it } from "vitest";
import { maxRelativeError, useLeakCheck } from "@dale-nn/test-support";
import { CT_RNN_GRAD_KERNEL, CT_RNN_KERNEL, isCtRnnAvailable, runCtRnnKernel } from "@dale-nn/core";
import { on, openBlasForTests } from "./test-support/backends.js";

const blas = openBlasForTests();

interface Shape {
  B: number;
  T: number;
  nIn: number;
  n: number;
  nOut: number;
}

const NAMES = ["wIn", "wRec", "bias", "wOut", "biasOut", "tau", "v0"] as const;

/**
 * Loss Σ (z − target)² + Σ states · R of a CT-RNN (per-unit τ from 20 to 200 ms, dt 10, v_0 [n])
 * and its gradient w.r.t. every parameter: [loss, states, outputs, dW_in, dW_rec, db, dW_out, db_out, dτ, dv_0].
 */
const valueAndGrads = (s: Shape, activation: CtActivation, fused: boolean, noise: boolean, seed = 1, withForward = true) => (): tf.Tensor[] => {
  const { B, T, nIn, n, nOut } = s;
  const u = tf.randomUniform([B, T, nIn], 0, 1, "float32", seed);
  const p = [
    tf.randomNormal([n, nIn], 0, 0.5, "float32", seed + 1),
    tf.randomNormal([n, n], 0, 1.2 / Math.sqrt(n), "float32", seed + 2),
    tf.randomNormal([n], 0, 0.3, "float32", seed + 3),
    tf.randomNormal([nOut, n], 0, 0.5, "float32", seed + 4),
    tf.randomNormal([nOut], 0, 0.1, "float32", seed + 5),
    tf.randomUniform([n], 20, 200, "float32", seed + 6),
    tf.randomNormal([n], 0, 0.5, "float32", seed + 7),
  ];
  const target = tf.randomNormal([B, T, nOut], 0, 1, "float32", seed + 8);
  const R = tf.randomNormal([B, T, n], 0, 1, "float32", seed + 9);
  const run = (ts: tf.Tensor[]) =>
    ctRnnForward(Object.fromEntries(NAMES.map((k, i) => [k, ts[i]!])) as unknown as CtRnnParams, u as tf.Tensor3D, { dt: 10, activation, noise, recurrentNoise: 0.2, seed: 5, fused });
  const f = (...ts: tf.Tensor[]): tf.Scalar => {
    const r = run(ts);
    return tf.add(tf.sum(tf.square(tf.sub(r.outputs, target))), tf.sum(tf.mul(r.states, R))) as tf.Scalar;
  };
  const { value, grads } = tf.valueAndGrads(f)(p);
  if (!withForward) return [value, ...grads];
  const { states, outputs } = run(p);
  return [value, states, outputs, ...grads];
};

/** Per tensor, max |a − b| over max |b| (the error relative to that tensor's scale; Infinity for another size). */
function scaledErrors(a: unknown[], b: unknown[]): number[] {
  const flat = (x: unknown): number[] => (Array.isArray(x) ? x.flatMap(flat) : [x as number]);
  return a.map((x, i) => {
    const [fa, fb] = [flat(x), flat(b[i])];
    return fa.length === fb.length ? maxRelativeError(fa, fb) : Infinity;
  });
}

const LABELS = ["loss", "states", "outputs", ...NAMES.map((k) => `d${k}`)];

if (!blas.registered) {
  describe("fused continuous-time recurrence without the addon", () => {
    it("the OpenBLAS backend is reported unavailable, so ctRnnForward uses the per-step ops", async () => {
      expect(blas.notice).toMatch(/^OpenBLAS backend unavailable: /);
      await tf.setBackend("cpu");
      expect(isCtRnnAvailable()).toBe(false);
    });
  });
} else {
  describe(`fused continuous-time recurrence (${CT_RNN_KERNEL}) on the OpenBLAS backend`, () => {
    useLeakCheck();

    it("ctRnnForward runs one fused kernel per pass on the OpenBLAS backend (not one set of ops per step), and the tensor count stays flat", async () => {
      await tf.setBackend(blas.name);
      expect(isCtRnnAvailable()).toBe(true);
      const start = tf.memory().numTensors;
      const profile = await tf.profile(() => {
        tf.tidy(() => {
          valueAndGrads({ B: 3, T: 7, nIn: 2, n: 6, nOut: 2 }, "relu", true, true, 1, false)();
        });
      });
      const names = profile.kernels.map((k) => k.name);
      expect(names.filter((k) => k === CT_RNN_KERNEL)).toHaveLength(1);
      expect(names.filter((k) => k === CT_RNN_GRAD_KERNEL)).toHaveLength(1);
      expect(names.filter((k) => k === "Pack" || k === "Unpack")).toHaveLength(0);
      expect(tf.memory().numTensors).toBe(start);
    });

    const SHAPES: Shape[] = [
      { B: 1, T: 1, nIn: 1, n: 2, nOut: 1 },
      { B: 4, T: 9, nIn: 3, n: 7, nOut: 2 },
      { B: 5, T: 30, nIn: 3, n: 40, nOut: 3 },
    ];
    for (const shape of SHAPES) {
      for (const activation of ["relu", "softplus", "tanh"] as const) {
        for (const noise of [false, true]) {
          it(`B ${shape.B}, T ${shape.T}, n ${shape.n}, ${activation}${noise ? ", recurrent noise" : ""}: the fused kernel gives the separate ops' loss, states, outputs and every gradient (W_in, W_rec, b, W_out, b_out, τ, v_0) on openblas and on plain cpu`, async () => {
            const fused = await on<unknown[]>(blas.name, valueAndGrads(shape, activation, true, noise));
            const perStep = await on<unknown[]>(blas.name, valueAndGrads(shape, activation, false, noise));
            const plainCpu = await on<unknown[]>("cpu", valueAndGrads(shape, activation, true, noise));
            for (const [other, label] of [[perStep, "per-step openblas"], [plainCpu, "plain cpu"]] as const) {
              scaledErrors(fused, other).forEach((e, i) => expect(e, `${LABELS[i]} vs ${label}`).toBeLessThan(1e-5));
            }
          });
        }
      }
    }

    // Not to the bit: which sgemm micro-kernel and thread split OpenBLAS picks depends on the CPU and
    // the core count, and the fused kernel's one [B, n] × [n, n] product per step is not always cut
    // the way the per-step matMul's is (seen on 2-core AMD EPYC: 1-2 ulp after 50 steps). 1e-6 of the
    // tensor's scale is a few float32 ulp; a wrong step, τ or activation is off by far more.
    it("without noise the fused forward pass is the per-step ops' on openblas to a few float32 ulp (1e-6 of scale), and the gradients agree to 1e-5 (relu, T 50, B 32, n 100: the perf workload's size)", async () => {
      const s: Shape = { B: 32, T: 50, nIn: 3, n: 100, nOut: 3 };
      const fused = await on<unknown[]>(blas.name, valueAndGrads(s, "relu", true, false, 11));
      const perStep = await on<unknown[]>(blas.name, valueAndGrads(s, "relu", false, false, 11));
      scaledErrors(fused.slice(0, 3), perStep.slice(0, 3)).forEach((e, i) => expect(e, LABELS[i]).toBeLessThan(1e-6));
      scaledErrors(fused, perStep).forEach((e, i) => expect(e, LABELS[i]).toBeLessThan(1e-5));
    });

    it("the fused kernels reject mismatched shapes and an unknown activation, naming them", async () => {
      await tf.setBackend(blas.name);
      const ok = () => ({ drive: tf.zeros([2, 3, 4]) as tf.Tensor3D, w: tf.zeros([4, 4]) as tf.Tensor2D, alpha: tf.fill([4], 0.5) as tf.Tensor1D, v0: tf.zeros([3, 4]) as tf.Tensor2D });
      expect(() => tf.tidy(() => runCtRnnKernel({ ...ok(), w: tf.zeros([5, 5]) as tf.Tensor2D }, { activation: "relu" }))).toThrow(
        new RegExp(`^${CT_RNN_KERNEL}: expected drive \\[T, B, n\\], w \\[n, n\\], alpha \\[n\\], v0 \\[B, n\\]; got drive \\[2,3,4\\], w \\[5,5\\], alpha \\[4\\], v0 \\[3,4\\]`),
      );
      expect(() => tf.tidy(() => runCtRnnKernel(ok(), { activation: "sigmoid" as never }))).toThrow(`${CT_RNN_KERNEL}: unknown activation "sigmoid"; expected one of relu, softplus, tanh`);
    });
  });
}
