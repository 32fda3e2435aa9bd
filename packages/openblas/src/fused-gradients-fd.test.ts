import * as tf from "@tensorflow/tfjs";
import { createRandomSource, deriveSeed } from "@dale-nn/ei-init";
import { ctRnnForward, dannDense, denseForward, rnnForward, type CtRnnParams } from "@dale-nn/ei-layers";
import { describe, expect, it } from "vitest";
import { centralDifferencesInPlace, relativeError, useBackendWithLeakCheck } from "@dale-nn/test-support";
// The independent float64 references of the ei-layers tests (test code only, never packaged).
import { dann64, linear64, mat, rnn64 } from "../../ei-layers/src/test-support/float64-reference.js";
import { ctRnn64, relu64, softplus64, tanh64 } from "../../ei-layers/src/test-support/ct-rnn64.js";
import { dannDenseV2Forward64, dannV2Groups, type DannV2Case } from "../../core/src/test-support/dann-dense-v2-64.js";
import { openBlasForTests, withoutKernels } from "./test-support/backends.js";
import {
  CT_RNN_KERNEL,
  DANN_DENSE_GRAD_KERNEL,
  DANN_DENSE_KERNEL,
  DANN_DENSE_V2_GRAD_KERNEL,
  DANN_DENSE_V2_KERNEL,
  DENSE_KERNEL,
  RELU_RNN_KERNEL,
  RELU_RNN_V2_GRAD_KERNEL,
  RELU_RNN_V2_KERNEL,
  SOFTMAX_CROSS_ENTROPY_KERNEL,
  runDannDenseV2Kernel,
  softmaxCrossEntropy,
  type DannDenseV2Inputs,
} from "@dale-nn/core";

const blas = openBlasForTests();

/** Float64 values rounded to float32, so the float32 kernels and the float64 reference see the same inputs. */
const f32 = (n: number, draw: () => number): Float64Array => Float64Array.from(Float32Array.from({ length: n }, draw));

/** Each group's gradient (in `groups` order) matches float64 central differences of `loss64` over that group to 1e-4. */
function expectFiniteDifferences(groups: Record<string, Float64Array>, grads: ArrayLike<number>[], loss64: () => number): void {
  Object.entries(groups).forEach(([name, arr], i) => {
    const fd = centralDifferencesInPlace(arr, loss64);
    const err = relativeError(grads[i]!, fd);
    expect(err, `gradient of ${name}: relative error ${err}`).toBeLessThan(1e-4);
  });
}

if (!blas.registered) {
  describe("fused-kernel gradients without the addon", () => {
    it("the OpenBLAS backend is reported unavailable", () => expect(blas.notice).toMatch(/^OpenBLAS backend unavailable: /));
  });
} else {
  describe("fused kernels on the OpenBLAS backend: gradients against float64 central finite differences", () => {
    useBackendWithLeakCheck(blas.name);

    it(`${DANN_DENSE_KERNEL}: dL/dx and all six parameter gradients match float64 finite differences of eq. 1 to 1e-4`, async () => {
      expect(tf.getKernel(DANN_DENSE_KERNEL, tf.getBackend())).toBeDefined();
      // dannDense runs version 1 where the backend lacks version 2.
      await withoutKernels([DANN_DENSE_V2_KERNEL, DANN_DENSE_V2_GRAD_KERNEL], blas.name, async () => {
        const B = 4, d = 7, ne = 5, ni = 3;
        const rng = createRandomSource(2);
        const pos = (n: number, lo = 0.05, hi = 1) => f32(n, () => lo + (hi - lo) * rng.uniform());
        const groups: Record<string, Float64Array> = {
          x: pos(B * d, 0, 1),
          wEE: pos(ne * d),
          wIE: pos(ni * d),
          wEI: pos(ne * ni),
          alpha: f32(ni, () => rng.normal() * 0.5),
          g: pos(ne, 0.5, 1.5),
          beta: f32(ne, () => rng.normal() * 0.1),
        };
        const R = Float64Array.from({ length: B * ne }, () => rng.normal());
        const loss64 = (): number => {
          const z = dann64(mat(B, d, groups.x), {
            wEE: mat(ne, d, groups.wEE), wIE: mat(ni, d, groups.wIE), wEI: mat(ne, ni, groups.wEI),
            alpha: groups.alpha!, g: groups.g!, beta: groups.beta!,
          });
          let s = 0;
          for (let i = 0; i < z.data.length; i++) s += Math.tanh(z.data[i]!) * R[i]!;
          return s;
        };
        const shapes: Record<string, number[]> = { x: [B, d], wEE: [ne, d], wIE: [ni, d], wEI: [ne, ni], alpha: [ni], g: [ne], beta: [ne] };
        const names = Object.keys(groups);
        const grads = tf.tidy(() => {
          const ts = names.map((n) => tf.tensor(Float32Array.from(groups[n]!), shapes[n]));
          const Rt = tf.tensor2d(Float32Array.from(R), [B, ne]);
          return tf.grads((x: tf.Tensor, wEE: tf.Tensor, wIE: tf.Tensor, wEI: tf.Tensor, alpha: tf.Tensor, g: tf.Tensor, beta: tf.Tensor) =>
            tf.sum(tf.mul(tf.tanh(dannDense(x as tf.Tensor2D, { wEE, wIE, wEI, alpha, g, beta } as never)), Rt)),
          )(ts).map((t) => Float32Array.from(t.dataSync()));
        });
        expectFiniteDifferences(groups, grads, loss64);
        const profile = await tf.profile(() => tf.tidy(() => void dannDense(tf.ones([1, d]) as tf.Tensor2D, { wEE: tf.ones([ne, d]), wIE: tf.ones([ni, d]), wEI: tf.ones([ne, ni]), alpha: tf.zeros([ni]), g: tf.ones([ne]), beta: tf.zeros([ne]) } as never)));
        expect(profile.kernels.map((k) => k.name)).toContain(DANN_DENSE_KERNEL);
      });
    });

    for (const divisive of [true, false]) {
      for (const activation of ["relu", "linear"] as const) {
        const c: DannV2Case = { B: 4, d: 7, ne: 5, ni: 3, divisive, activation };
        const what = `${divisive ? "divisive" : "subtractive"}, ${activation}`;
        it(`${DANN_DENSE_V2_KERNEL} (${what}): dL/dx and every parameter gradient match float64 finite differences of y = f(eq. 1) to 1e-4, dL/dx from the one gradient call`, async () => {
          expect(tf.getKernel(DANN_DENSE_V2_KERNEL, tf.getBackend())).toBeDefined();
          const p = dannV2Groups(c, divisive ? 5 : 6);
          const R = Float64Array.from({ length: c.B * c.ne }, (_, i) => Math.cos(0.9 * i + 0.2));
          const loss64 = (): number => dannDenseV2Forward64(p, c).reduce((s, y, i) => s + Math.tanh(y) * R[i]!, 0);
          const names = (["x", "wEE", "wIE", "wEI", "b", "alpha", "g"] as const).filter((n) => p[n] !== undefined);
          const shapes = { x: [c.B, c.d], wEE: [c.ne, c.d], wIE: [c.ni, c.d], wEI: [c.ne, c.ni], b: [c.ne], alpha: [c.ni], g: [c.ne] };
          let grads: Float32Array[] = [];
          const profile = await tf.profile(() =>
            tf.tidy(() => {
              const ts = names.map((n) => tf.tensor(Float32Array.from(p[n]!), shapes[n]));
              const Rt = tf.tensor2d(Float32Array.from(R), [c.B, c.ne]);
              const f = (...vs: tf.Tensor[]) => {
                const named = Object.fromEntries(names.map((n, i) => [n, vs[i]])) as unknown as DannDenseV2Inputs;
                return tf.sum(tf.mul(tf.tanh(runDannDenseV2Kernel({ ...named, x: tf.add(named.x, 0) as tf.Tensor2D }, { activation, divisive }).y), Rt));
              };
              grads = tf.grads(f)(ts).map((t) => Float32Array.from(t.dataSync()));
            }),
          );
          expect(profile.kernels.filter((k) => k.name === DANN_DENSE_V2_GRAD_KERNEL)).toHaveLength(1);
          expect(profile.kernels.map((k) => k.name)).not.toContain(DANN_DENSE_GRAD_KERNEL);
          names.forEach((name, i) => {
            const fd = centralDifferencesInPlace(p[name]!, loss64);
            const err = relativeError(grads[i]!, fd);
            expect(err, `gradient of ${name}: relative error ${err}`).toBeLessThan(1e-4);
          });
        });
      }
    }

    for (const activation of ["linear", "relu"] as const) {
      it(`${DENSE_KERNEL} (${activation}): dL/dx, dL/dW and dL/db match float64 finite differences of y = f(x Wᵀ + b) to 1e-4`, async () => {
        expect(tf.getKernel(DENSE_KERNEL, tf.getBackend())).toBeDefined();
        const B = 5, d = 7, out = 4;
        const rng = createRandomSource(activation === "relu" ? 11 : 12);
        const groups: Record<string, Float64Array> = {
          x: f32(B * d, () => rng.uniform() * 2 - 1),
          w: f32(out * d, () => rng.normal() * 0.5),
          b: f32(out, () => rng.normal() * 0.3),
        };
        const R = Float64Array.from({ length: B * out }, () => rng.normal());
        const loss64 = (): number => {
          const z = linear64(mat(B, d, groups.x), mat(out, d, groups.w));
          let s = 0;
          for (let i = 0; i < z.data.length; i++) {
            const pre = z.data[i]! + groups.b![i % out]!;
            s += Math.tanh(activation === "relu" ? Math.max(0, pre) : pre) * R[i]!;
          }
          return s;
        };
        const grads = tf.tidy(() => {
          const [x, w, b] = [tf.tensor2d(Float32Array.from(groups.x!), [B, d]), tf.tensor2d(Float32Array.from(groups.w!), [out, d]), tf.tensor1d(Float32Array.from(groups.b!))];
          const Rt = tf.tensor2d(Float32Array.from(R), [B, out]);
          return tf.grads((xv: tf.Tensor, wv: tf.Tensor, bv: tf.Tensor) =>
            tf.sum(tf.mul(tf.tanh(denseForward(xv as tf.Tensor2D, { w: wv as tf.Tensor2D, b: bv as tf.Tensor1D }, { activation })), Rt)),
          )([x, w, b]).map((t) => Float32Array.from(t.dataSync()));
        });
        const profile = await tf.profile(() => tf.tidy(() => void denseForward(tf.ones([1, d]) as tf.Tensor2D, { w: tf.ones([out, d]) as tf.Tensor2D, b: tf.ones([out]) as tf.Tensor1D }, { activation })));
        expect(profile.kernels.map((k) => k.name)).toContain(DENSE_KERNEL);
        expectFiniteDifferences(groups, grads, loss64);
      });
    }

    it(`${SOFTMAX_CROSS_ENTROPY_KERNEL}: dL/dlogits and dL/dlabels of L = 2 sin(loss) match float64 finite differences of the mean cross-entropy to 1e-4`, () => {
      expect(tf.getKernel(SOFTMAX_CROSS_ENTROPY_KERNEL, tf.getBackend())).toBeDefined();
      const B = 4, C = 6;
      const rng = createRandomSource(13);
      // Soft labels, each row a distribution (dlogits = softmax − labels assumes it, as tfjs's gradient does).
      const raw = Array.from({ length: B * C }, () => 0.05 + rng.uniform());
      const rowSum = (i: number) => raw.slice(i - (i % C), i - (i % C) + C).reduce((a, v) => a + v, 0);
      let next = 0;
      const groups: Record<string, Float64Array> = {
        labels: f32(B * C, () => raw[next]! / rowSum(next++)),
        logits: f32(B * C, () => rng.normal() * 3),
      };
      const loss64 = (): number => {
        const { labels, logits } = groups as { labels: Float64Array; logits: Float64Array };
        let total = 0;
        for (let b = 0; b < B; b++) {
          let m = -Infinity;
          for (let c = 0; c < C; c++) m = Math.max(m, logits[b * C + c]!);
          let s = 0;
          for (let c = 0; c < C; c++) s += Math.exp(logits[b * C + c]! - m);
          const lse = m + Math.log(s);
          for (let c = 0; c < C; c++) total -= labels[b * C + c]! * (logits[b * C + c]! - lse);
        }
        return 2 * Math.sin(total / B);
      };
      const grads = tf.tidy(() => {
        const [labels, logits] = [tf.tensor2d(Float32Array.from(groups.labels!), [B, C]), tf.tensor2d(Float32Array.from(groups.logits!), [B, C])];
        return tf.grads((t: tf.Tensor, z: tf.Tensor) => tf.mul(tf.sin(softmaxCrossEntropy(t, z)), 2))([labels, logits]).map((t) => Float32Array.from(t.dataSync()));
      });
      expectFiniteDifferences(groups, grads, loss64);
    });

    const V2 = [RELU_RNN_V2_KERNEL, RELU_RNN_V2_GRAD_KERNEL] as const;
    for (const version of [2, 1] as const) {
      for (const returnSequences of [false, true]) {
        for (const xFromOp of [false, true]) {
          const kernel = version === 2 ? RELU_RNN_V2_KERNEL : RELU_RNN_KERNEL;
          it(`${kernel} (${returnSequences ? "all states" : "last state"}, x ${xFromOp ? "an earlier op's output" : "a network input"}): BPTT gradients of x, U, W, b and h0 match float64 finite differences over 5 steps to 1e-4`, async () => {
            const body = (): void => {
              expect(tf.getKernel(kernel, tf.getBackend())).toBeDefined();
              const B = 2, T = 5, d = 3, n = 6;
              const rng = createRandomSource((returnSequences ? 7 : 8) + (xFromOp ? 10 : 0));
              const groups: Record<string, Float64Array> = {
                x: f32(B * T * d, () => rng.uniform()),
                u: f32(n * d, () => rng.normal() * 0.6),
                w: f32(n * n, () => rng.normal() * 0.4),
                b: f32(n, () => 0.2 + rng.normal() * 0.1),
                h0: f32(B * n, () => rng.uniform() * 0.5),
              };
              const out = returnSequences ? B * T * n : B * n;
              const R = Float64Array.from({ length: out }, () => rng.normal());
              const loss64 = (): number => {
                const h = rnn64(groups.x!, B, T, d, groups.u!, groups.w!, groups.b!, n, groups.h0);
                let s = 0;
                for (let k = 0; k < B; k++) {
                  for (let i = 0; i < n; i++) {
                    if (returnSequences) for (let t = 0; t < T; t++) s += h[(k * T + t) * n + i]! * R[(k * T + t) * n + i]!;
                    else s += h[(k * T + T - 1) * n + i]! * R[k * n + i]!;
                  }
                }
                return s;
              };
              const shapes: Record<string, number[]> = { x: [B, T, d], u: [n, d], w: [n, n], b: [n], h0: [B, n] };
              const names = Object.keys(groups);
              const grads = tf.tidy(() => {
                const Rt = tf.tensor(Float32Array.from(R), returnSequences ? [B, T, n] : [B, n]);
                const ts = names.map((k) => tf.tensor(Float32Array.from(groups[k]!), shapes[k]));
                return tf.grads((x: tf.Tensor, u: tf.Tensor, w: tf.Tensor, b: tf.Tensor, h0: tf.Tensor) => {
                  // An earlier op's output: 2 · (x / 2), the same values (exact in float32), so dL/dx comes from the forward's gradient call.
                  const input = (xFromOp ? tf.mul(tf.div(x, 2), 2) : x) as tf.Tensor3D;
                  return tf.sum(tf.mul(rnnForward(input, { u: u as tf.Tensor2D, w: w as tf.Tensor2D, bias: b as tf.Tensor1D }, { h0: h0 as tf.Tensor2D, returnSequences }), Rt));
                })(ts).map((t) => Float32Array.from(t.dataSync()));
              });
              expectFiniteDifferences(groups, grads, loss64);
            };
            if (version === 2) body();
            else await withoutKernels(V2, tf.getBackend(), body);
          });
        }
      }
    }

    const PHI64 = { relu: relu64, softplus: softplus64, tanh: tanh64 } as const;
    for (const [activation, sigma] of [["relu", 0], ["softplus", 0], ["tanh", 0], ["relu", 0.3]] as const) {
      it(`${CT_RNN_KERNEL} (${activation}${sigma > 0 ? ", recurrent noise" : ""}): BPTT gradients of W_in, W_rec, b, W_out, b_out, τ and v_0 match float64 finite differences of the Euler equations over 6 steps to 1e-4`, () => {
        expect(tf.getKernel(CT_RNN_KERNEL, tf.getBackend())).toBeDefined();
        const B = 3, T = 6, nIn = 2, n = 5, nOut = 2, dt = 10, seed = 9;
        const rng = createRandomSource(activation === "relu" ? (sigma > 0 ? 34 : 31) : activation === "softplus" ? 32 : 33);
        const u = f32(B * T * nIn, () => rng.uniform());
        const groups: Record<string, Float64Array> = {
          wIn: f32(n * nIn, () => rng.normal() * 0.6),
          wRec: f32(n * n, () => rng.normal() * 0.5),
          bias: f32(n, () => 0.2 + rng.normal() * 0.2),
          wOut: f32(nOut * n, () => rng.normal() * 0.5),
          biasOut: f32(nOut, () => rng.normal() * 0.1),
          tau: f32(n, () => 20 + 80 * rng.uniform()),
          v0: f32(n, () => rng.normal() * 0.5),
        };
        const R = Float64Array.from({ length: B * T * n }, () => rng.normal());
        const Q = Float64Array.from({ length: B * T * nOut }, () => rng.normal());
        // The noise ctRnnForward draws for this seed (the host stream, [T, B, n]).
        const xiRng = createRandomSource(deriveSeed(seed, "recurrent-noise"));
        const xi = Float64Array.from({ length: T * B * n }, () => xiRng.normal());
        const loss64 = (): number => {
          const g = groups as Record<keyof CtRnnParams, Float64Array>;
          const r = ctRnn64({ wIn: g.wIn, wRec: g.wRec, bias: g.bias, wOut: g.wOut, biasOut: g.biasOut, tau: g.tau, v0: g.v0 }, u, B, T, nIn, dt, PHI64[activation], sigma > 0 ? { xi, sigma } : undefined);
          let s = 0;
          for (let i = 0; i < r.states.length; i++) s += r.states[i]! * R[i]!;
          for (let i = 0; i < r.outputs.length; i++) s += Math.tanh(r.outputs[i]!) * Q[i]!;
          return s;
        };
        const shapes: Record<string, number[]> = { wIn: [n, nIn], wRec: [n, n], bias: [n], wOut: [nOut, n], biasOut: [nOut], tau: [n], v0: [n] };
        const names = Object.keys(groups);
        const grads = tf.tidy(() => {
          const ut = tf.tensor3d(Float32Array.from(u), [B, T, nIn]);
          const Rt = tf.tensor3d(Float32Array.from(R), [B, T, n]);
          const Qt = tf.tensor3d(Float32Array.from(Q), [B, T, nOut]);
          const ts = names.map((k) => tf.tensor(Float32Array.from(groups[k]!), shapes[k]));
          return tf.grads((...p: tf.Tensor[]) => {
            const params = Object.fromEntries(names.map((k, i) => [k, p[i]!])) as unknown as CtRnnParams;
            const { states, outputs } = ctRnnForward(params, ut, { dt, activation, recurrentNoise: sigma, noise: sigma > 0, seed });
            return tf.add(tf.sum(tf.mul(states, Rt)), tf.sum(tf.mul(tf.tanh(outputs), Qt)));
          })(ts).map((t) => Float32Array.from(t.dataSync()));
        });
        expectFiniteDifferences(groups, grads, loss64);
      });
    }
  });
}
