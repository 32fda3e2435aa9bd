import * as tf from "@tensorflow/tfjs";
import { dannDense, rnnForward } from "@dale-nn/ei-layers";
import { describe, expect, it } from "vitest";
import { useLeakCheck } from "@dale-nn/test-support";
import { maxRelativeDifference, on, openBlasForTests, withoutKernels } from "./test-support/backends.js";
import {
  DANN_DENSE_GRAD_KERNEL,
  DANN_DENSE_KERNEL,
  DANN_DENSE_V2_GRAD_KERNEL,
  DANN_DENSE_V2_KERNEL,
  RELU_RNN_GRAD_KERNEL,
  RELU_RNN_KERNEL,
  RELU_RNN_V2_GRAD_KERNEL,
  RELU_RNN_V2_KERNEL,
  isReluRnnAvailable,
  isReluRnnV2Available,
  runProjectedSgdStepKernel,
  runReluRnnKernel,
  runReluRnnV2Kernel,
  type SgdStepProjection,
} from "@dale-nn/core";

const blas = openBlasForTests();

if (!blas.registered) {
  describe("fused kernels without the addon", () => {
    it("the OpenBLAS backend is reported unavailable, so rnnForward uses the per-step ops", async () => {
      expect(blas.notice).toMatch(/^OpenBLAS backend unavailable: /);
      await tf.setBackend("cpu");
      const before = tf.memory().numTensors;
      expect(isReluRnnAvailable()).toBe(false);
      expect(isReluRnnV2Available()).toBe(false);
      const [fusedDefault, perStep] = tf.tidy(() => {
        const x = tf.randomUniform([2, 4, 3], -1, 1, "float32", 1) as tf.Tensor3D;
        const weights = { u: tf.randomNormal([5, 3], 0, 0.6, "float32", 2) as tf.Tensor2D, w: tf.randomNormal([5, 5], 0, 0.4, "float32", 3) as tf.Tensor2D, bias: tf.zeros([5]) as tf.Tensor1D };
        return [rnnForward(x, weights, { returnSequences: true }), rnnForward(x, weights, { returnSequences: true, fused: false })];
      });
      const profile = await tf.profile(() => tf.tidy(() => rnnForward(tf.ones([1, 3, 2]) as tf.Tensor3D, { u: tf.ones([2, 2]) as tf.Tensor2D, w: tf.eye(2) as tf.Tensor2D, bias: tf.zeros([2]) as tf.Tensor1D }).dispose()));
      expect(profile.kernels.map((k) => k.name)).not.toContain(RELU_RNN_KERNEL);
      expect(profile.kernels.filter((k) => k.name === "Relu")).toHaveLength(3);
      expect(fusedDefault!.shape).toEqual([2, 4, 5]);
      expect(Array.from(fusedDefault!.dataSync())).toEqual(Array.from(perStep!.dataSync()));
      tf.dispose([fusedDefault!, perStep!]);
      expect(tf.memory().numTensors).toBe(before);
    });
  });
} else {
  describe("fused ReLU recurrence and projected-SGD step on the OpenBLAS backend", () => {
    useLeakCheck();

    /** Loss and gradients of a small RNN (T = 6 steps, batch 4, d = 3, n = 7) w.r.t. U, W, b and h0. */
    const rnnValueAndGrads = (fused: boolean, returnSequences: boolean) => () => {
      const x = tf.randomUniform([4, 6, 3], -1, 1, "float32", 1);
      const u = tf.randomNormal([7, 3], 0, 0.6, "float32", 2);
      const w = tf.randomNormal([7, 7], 0, 0.4, "float32", 3);
      const b = tf.randomNormal([7], 0, 0.2, "float32", 4);
      const h0 = tf.randomUniform([4, 7], 0, 0.5, "float32", 5);
      const target = tf.randomNormal(returnSequences ? [4, 6, 7] : [4, 7], 0, 1, "float32", 6);
      const f = (uv: tf.Tensor, wv: tf.Tensor, bv: tf.Tensor, hv: tf.Tensor) =>
        tf.sum(tf.square(tf.sub(rnnForward(x as tf.Tensor3D, { u: uv as tf.Tensor2D, w: wv as tf.Tensor2D, bias: bv as tf.Tensor1D }, { h0: hv as tf.Tensor2D, fused, returnSequences }), target))) as tf.Scalar;
      const { value, grads } = tf.valueAndGrads(f)([u, w, b, h0]);
      return [value, ...grads];
    };

    const V2 = [RELU_RNN_V2_KERNEL, RELU_RNN_V2_GRAD_KERNEL] as const;

    it(`rnnForward runs ${RELU_RNN_V2_KERNEL} on the OpenBLAS backend: one kernel per pass for the whole layer (no Transpose, input product, bias Add or Sum around it)`, async () => {
      await tf.setBackend(blas.name);
      expect(isReluRnnV2Available()).toBe(true);
      for (const returnSequences of [false, true]) {
        const profile = await tf.profile(() => {
          tf.tidy(() => {
            rnnValueAndGrads(true, returnSequences)();
          });
        });
        const names = profile.kernels.map((k) => k.name);
        expect(names.filter((n) => n === RELU_RNN_V2_KERNEL), `returnSequences ${returnSequences}`).toHaveLength(1);
        expect(names.filter((n) => n === RELU_RNN_V2_GRAD_KERNEL), `returnSequences ${returnSequences}`).toHaveLength(1);
        for (const absent of [RELU_RNN_KERNEL, "Relu", "Transpose", "BatchMatMul", "Add"]) expect(names, `returnSequences ${returnSequences}`).not.toContain(absent);
      }
    });

    it(`rnnForward on a backend with ${RELU_RNN_KERNEL} but not ${RELU_RNN_V2_KERNEL} runs version 1 (one kernel per pass, not one per step)`, async () => {
      await withoutKernels(V2, blas.name, async () => {
        await tf.setBackend(blas.name);
        const profile = await tf.profile(() => {
          tf.tidy(() => {
            rnnValueAndGrads(true, false)();
          });
        });
        const names = profile.kernels.map((k) => k.name);
        expect(names.filter((n) => n === RELU_RNN_KERNEL)).toHaveLength(1);
        expect(names.filter((n) => n === RELU_RNN_GRAD_KERNEL)).toHaveLength(1);
        expect(names).not.toContain(RELU_RNN_V2_KERNEL);
        expect(names.filter((n) => n === "Relu")).toHaveLength(0);
      });
    });

    it("fused (versions 2 and 1) and per-step recurrences give the same loss and gradients (U, W, b, h0), last state and all states, as the plain CPU backend", async () => {
      for (const returnSequences of [false, true]) {
        const v2 = await on<number[]>(blas.name, rnnValueAndGrads(true, returnSequences));
        const v1 = await withoutKernels(V2, blas.name, () => on<number[]>(blas.name, rnnValueAndGrads(true, returnSequences)));
        const perStep = await on<number[]>(blas.name, rnnValueAndGrads(false, returnSequences));
        const plainCpu = await on<number[]>("cpu", rnnValueAndGrads(false, returnSequences));
        for (const [label, fused] of [["v2", v2], ["v1", v1]] as const) {
          expect(maxRelativeDifference(fused, perStep), `${label}, returnSequences ${returnSequences}`).toBeLessThan(2e-5);
          expect(maxRelativeDifference(fused, plainCpu), `${label}, returnSequences ${returnSequences}`).toBeLessThan(2e-5);
        }
      }
    });

    /**
     * Every input and flag of DaleReluRnn_v2 against the plain CPU backend's per-step ops: loss and
     * the gradients of x, U, W, b and h0 for a loss reading the last state, all states or both
     * (dy, dyLast or both reach the gradient kernel), h0 given or zero, and x a network input or
     * made by an earlier op (inputGradient false or true; dL/dx asked for in either case).
     */
    const rnnCase = (c: { B: number; T: number; d: number; n: number; read: "last" | "all" | "both"; h0: boolean; xFromOp: boolean }, fused: boolean) => () => {
      const { B, T, d, n } = c;
      const seed = B * 1000 + T * 100 + d * 10 + n;
      const x = tf.randomUniform([B, T, d], -1, 1, "float32", seed);
      const u = tf.randomNormal([n, d], 0, 0.6, "float32", seed + 1);
      const w = tf.randomNormal([n, n], 0, 0.4, "float32", seed + 2);
      const b = tf.randomNormal([n], 0.1, 0.2, "float32", seed + 3);
      const h0 = tf.randomUniform([B, n], 0, 0.5, "float32", seed + 4);
      const rAll = tf.randomNormal([B, T, n], 0, 1, "float32", seed + 5);
      const rLast = tf.randomNormal([B, n], 0, 1, "float32", seed + 6);
      const f = (xv: tf.Tensor, uv: tf.Tensor, wv: tf.Tensor, bv: tf.Tensor, hv?: tf.Tensor) => {
        const input = (c.xFromOp ? tf.mul(xv, 1.5) : xv) as tf.Tensor3D;
        const weights = { u: uv as tf.Tensor2D, w: wv as tf.Tensor2D, bias: bv as tf.Tensor1D };
        const options = { fused, ...(hv ? { h0: hv as tf.Tensor2D } : {}) };
        let loss = tf.scalar(0);
        if (c.read !== "last") loss = tf.add(loss, tf.sum(tf.mul(rnnForward(input, weights, { ...options, returnSequences: true }), rAll)));
        if (c.read !== "all") loss = tf.add(loss, tf.sum(tf.mul(rnnForward(input, weights, { ...options, returnSequences: false }), rLast)));
        return loss as tf.Scalar;
      };
      // Without h0 the loss does not depend on it: no gradient to ask for.
      const { value, grads } = tf.valueAndGrads(f)(c.h0 ? [x, u, w, b, h0] : [x, u, w, b]);
      return [value, ...grads];
    };

    it(`${RELU_RNN_V2_KERNEL} gives the plain CPU backend's per-step loss and gradients of x, U, W, b, h0 for batch 1 and 5, T 1, 2 and 7, d 1 and 4, n 1 and 6; last state, all states or both; h0 given or zero; x a network input or an earlier op's output`, async () => {
      const shapes = [
        { B: 1, T: 1, d: 1, n: 1 },
        { B: 5, T: 1, d: 4, n: 6 },
        { B: 1, T: 7, d: 4, n: 6 },
        { B: 5, T: 2, d: 1, n: 6 },
        { B: 5, T: 7, d: 4, n: 1 },
        { B: 5, T: 7, d: 4, n: 6 },
      ];
      let cases = 0;
      for (const shape of shapes) {
        for (const read of ["last", "all", "both"] as const) {
          for (const h0 of [true, false]) {
            for (const xFromOp of [false, true]) {
              const c = { ...shape, read, h0, xFromOp };
              await tf.setBackend(blas.name);
              const profile = await tf.profile(() => {
                tf.tidy(() => {
                  rnnCase(c, true)();
                });
              });
              const names = profile.kernels.map((k) => k.name);
              const label = JSON.stringify(c);
              expect(names.filter((k) => k === RELU_RNN_V2_KERNEL), label).toHaveLength(read === "both" ? 2 : 1);
              expect(names, label).not.toContain("Transpose");
              const fused = await on<number[]>(blas.name, rnnCase(c, true));
              const plainCpu = await on<number[]>("cpu", rnnCase(c, false));
              expect(maxRelativeDifference(fused, plainCpu), label).toBeLessThan(2e-5);
              cases++;
            }
          }
        }
      }
      expect(cases).toBe(72);
    });

    it(`${RELU_RNN_V2_GRAD_KERNEL} (all states and last state) forms dL/dx exactly when inputGradient is set, the other gradients the same either way, and rejects a dy or h of the other layout`, async () => {
      await tf.setBackend(blas.name);
      const B = 3, T = 4, d = 2, n = 5;
      tf.tidy(() => {
        const x = tf.randomUniform([B, T, d], -1, 1, "float32", 41) as tf.Tensor3D;
        const u = tf.randomNormal([n, d], 0, 0.6, "float32", 42) as tf.Tensor2D;
        const w = tf.randomNormal([n, n], 0, 0.4, "float32", 43) as tf.Tensor2D;
        const bias = tf.randomNormal([n], 0.1, 0.2, "float32", 44) as tf.Tensor1D;
        const h0 = tf.randomUniform([B, n], 0, 0.5, "float32", 45) as tf.Tensor2D;
        for (const returnSequences of [true, false]) {
          const out = runReluRnnV2Kernel({ x, u, bias, w, h0 }, { returnSequences });
          const h = (returnSequences ? out.states : out.saved)!;
          const dy = tf.randomNormal(returnSequences ? [B, T, n] : [B, n], 0, 1, "float32", 46);
          const grad = (inputs: Record<string, tf.Tensor>, inputGradient: boolean) =>
            (tf.engine().runKernel(RELU_RNN_V2_GRAD_KERNEL, { dy, x, h, u, w, h0, ...inputs }, { returnSequences, inputGradient }) as unknown as tf.Tensor[]).map((t) => Array.from(t.dataSync()));
          const withDx = grad({}, true);
          const withoutDx = grad({}, false);
          expect(withDx).toHaveLength(5);
          expect(withoutDx).toEqual(withDx.slice(0, 4));
          expect(withDx[4]).toHaveLength(B * T * d);
          const other = returnSequences ? [B, n] : [B, T, n];
          expect(() => grad({ dy: tf.zeros(other) }, false)).toThrow(`${RELU_RNN_V2_GRAD_KERNEL}: dy must be [${returnSequences ? [B, T, n] : [B, n]}] (returnSequences ${returnSequences}); got [${other}]`);
          const otherH = returnSequences ? [T, B, n] : [B, T, n];
          expect(() => grad({ h: tf.zeros(otherH) }, false)).toThrow(`${RELU_RNN_V2_GRAD_KERNEL}: h must be [${returnSequences ? [B, T, n] : [T, B, n]}] (returnSequences ${returnSequences}); got [${otherH}]`);
        }
        // The last state is the time-major saved states' last block, and the sequence's last step.
        const { saved, last } = runReluRnnV2Kernel({ x, u, bias, w, h0 });
        const { states } = runReluRnnV2Kernel({ x, u, bias, w, h0 }, { returnSequences: true });
        expect(Array.from(last!.dataSync())).toEqual(Array.from(saved!.slice([T - 1, 0, 0], [1, B, n]).dataSync()));
        expect(Array.from(last!.dataSync())).toEqual(Array.from(states!.slice([0, T - 1, 0], [B, 1, n]).dataSync()));
        expect(Array.from(tf.transpose(saved!, [1, 0, 2]).dataSync())).toEqual(Array.from(states!.dataSync()));
      });
    });

    it(`${RELU_RNN_V2_KERNEL} and its gradient with an empty batch: empty states, zero weight gradients`, async () => {
      await tf.setBackend(blas.name);
      const out = tf.tidy(() => {
        const f = (u: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
          tf.sum(runReluRnnV2Kernel({ x: tf.zeros([0, 3, 2]), u: u as tf.Tensor2D, bias: b as tf.Tensor1D, w: w as tf.Tensor2D, h0: tf.zeros([0, 4]) }, { returnSequences: true }).states!) as tf.Scalar;
        const { value, grads } = tf.valueAndGrads(f)([tf.ones([4, 2]), tf.ones([4, 4]), tf.ones([4])]);
        return [value, ...grads].map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }));
      });
      expect(out).toEqual([
        { shape: [], values: [0] },
        { shape: [4, 2], values: new Array(8).fill(0) },
        { shape: [4, 4], values: new Array(16).fill(0) },
        { shape: [4], values: new Array(4).fill(0) },
      ]);
    });

    /** Loss and gradients of a DANN layer (eq. 1; B = 5, d = 9, ne = 7, ni = 3) w.r.t. x and all six parameters. */
    const dannValueAndGrads = (fused: boolean) => () => {
      const x = tf.randomUniform([5, 9], 0, 1, "float32", 21);
      const p = {
        wEE: tf.randomUniform([7, 9], 0, 0.5, "float32", 22),
        wIE: tf.randomUniform([3, 9], 0, 0.5, "float32", 23),
        wEI: tf.randomUniform([7, 3], 0.1, 0.5, "float32", 24),
        alpha: tf.randomNormal([3], 0, 0.3, "float32", 25),
        g: tf.randomUniform([7], 0.5, 1.5, "float32", 26),
        beta: tf.randomNormal([7], 0, 0.1, "float32", 27),
      };
      const target = tf.randomNormal([5, 7], 0, 1, "float32", 28);
      const f = (xv: tf.Tensor, wEE: tf.Tensor, wIE: tf.Tensor, wEI: tf.Tensor, alpha: tf.Tensor, g: tf.Tensor, beta: tf.Tensor) =>
        tf.sum(tf.square(tf.sub(tf.relu(dannDense(xv as tf.Tensor2D, { wEE, wIE, wEI, alpha, g, beta } as never, { fused })), target))) as tf.Scalar;
      const { value, grads } = tf.valueAndGrads(f)([x, p.wEE, p.wIE, p.wEI, p.alpha, p.g, p.beta]);
      return [value, ...grads];
    };

    it(`dannDense on a backend with ${DANN_DENSE_KERNEL} but not ${DANN_DENSE_V2_KERNEL} runs version 1, one kernel per pass, and gives the separate ops' loss and gradients (x, W_EE, W_IE, W_EI, α, g, β)`, async () => {
      await withoutKernels([DANN_DENSE_V2_KERNEL, DANN_DENSE_V2_GRAD_KERNEL], blas.name, async () => {
        await tf.setBackend(blas.name);
        const profile = await tf.profile(() => {
          tf.tidy(() => {
            dannValueAndGrads(true)();
          });
        });
        const names = profile.kernels.map((k) => k.name);
        expect(names.filter((n) => n === DANN_DENSE_KERNEL)).toHaveLength(1);
        expect(names.filter((n) => n === DANN_DENSE_GRAD_KERNEL)).toHaveLength(1);
        expect(names).not.toContain(DANN_DENSE_V2_KERNEL);
        const fused = await on<number[]>(blas.name, dannValueAndGrads(true));
        const separate = await on<number[]>(blas.name, dannValueAndGrads(false));
        const plainCpu = await on<number[]>("cpu", dannValueAndGrads(false));
        expect(maxRelativeDifference(fused, separate)).toBeLessThan(2e-5);
        expect(maxRelativeDifference(fused, plainCpu)).toBeLessThan(2e-5);
      });
    });

    it(`dannDense with both versions registered runs ${DANN_DENSE_V2_KERNEL} (one forward; x is an input being differentiated, so a second gradient call gives dL/dx) and gives version 1's loss and gradients`, async () => {
      await tf.setBackend(blas.name);
      const profile = await tf.profile(() => {
        tf.tidy(() => {
          dannValueAndGrads(true)();
        });
      });
      const names = profile.kernels.map((k) => k.name);
      expect(names.filter((n) => n === DANN_DENSE_V2_KERNEL)).toHaveLength(1);
      expect(names.filter((n) => n === DANN_DENSE_V2_GRAD_KERNEL)).toHaveLength(2);
      expect(names).not.toContain(DANN_DENSE_KERNEL);
      const v2 = await on<number[]>(blas.name, dannValueAndGrads(true));
      const v1 = await withoutKernels([DANN_DENSE_V2_KERNEL, DANN_DENSE_V2_GRAD_KERNEL], blas.name, () => on<number[]>(blas.name, dannValueAndGrads(true)));
      expect(maxRelativeDifference(v2, v1)).toBeLessThan(2e-6);
    });

    it("the fused kernels reject mismatched shapes with the shapes in the message", async () => {
      await tf.setBackend(blas.name);
      expect(() =>
        tf.tidy(() => runReluRnnKernel({ u: tf.zeros([2, 3, 4]), w: tf.zeros([5, 5]), h0: tf.zeros([3, 4]) })),
      ).toThrow(new RegExp(`^${RELU_RNN_KERNEL}: expected u \\[T, B, n\\], w \\[n, n\\], h0 \\[B, n\\]; got u \\[2,3,4\\], w \\[5,5\\], h0 \\[3,4\\]`));
      tf.tidy(() => {
        const v2Inputs = () => ({ x: tf.zeros([3, 2, 4]), u: tf.zeros([5, 4]), bias: tf.zeros([5]), w: tf.zeros([5, 5]), h0: tf.zeros([3, 5]) });
        for (const [change, got] of [
          [{ u: tf.zeros([5, 3]) }, "u [5,3], bias [5], w [5,5], h0 [3,5]"],
          [{ bias: tf.zeros([4]) }, "u [5,4], bias [4], w [5,5], h0 [3,5]"],
          [{ w: tf.zeros([5, 4]) }, "u [5,4], bias [5], w [5,4], h0 [3,5]"],
          [{ h0: tf.zeros([2, 5]) }, "u [5,4], bias [5], w [5,5], h0 [2,5]"],
          [{ x: tf.zeros([3, 0, 4]), u: tf.zeros([5, 4]) }, "u [5,4], bias [5], w [5,5], h0 [3,5]"],
        ] as const) {
          const x = "x" in change ? "3,0,4" : "3,2,4";
          expect(() => runReluRnnV2Kernel({ ...v2Inputs(), ...change } as never)).toThrow(
            `${RELU_RNN_V2_KERNEL}: expected x [B, T, d], u [n, d], bias [n], w [n, n], h0 [B, n] with T, d, n >= 1; got x [${x}], ${got}`,
          );
        }
      });
      expect(() =>
        tf.tidy(() => runProjectedSgdStepKernel({ w: tf.zeros([2, 3]), g: tf.zeros([3, 2]), lr: tf.scalar(0.1) }, { projection: "nonneg" })),
      ).toThrow(/gradient shape \[3,2\] must equal the weight shape \[2,3\]/);
      expect(() =>
        tf.tidy(() => runProjectedSgdStepKernel({ w: tf.zeros([2]), g: tf.zeros([2]), lr: tf.scalar(0.1) }, { projection: "sideways" as SgdStepProjection })),
      ).toThrow(/unknown projection "sideways"/);
    });

    it("the fused SGD step is bit-for-bit sub(w, mul(lr, g)) then relu / minimum(·, 0)", async () => {
      await tf.setBackend(blas.name);
      tf.tidy(() => {
        const w = tf.concat([tf.randomNormal([997], 0, 1, "float32", 7), tf.tensor1d([0, -0, NaN, 1e-30, -1e-30])]);
        const g = tf.concat([tf.randomNormal([997], 0, 3, "float32", 8), tf.tensor1d([1, -1, 0, 1e-20, -1e-20])]);
        const lr = tf.scalar(0.0731);
        const separate = { none: tf.sub(w, tf.mul(lr, g)), nonneg: tf.relu(tf.sub(w, tf.mul(lr, g))), nonpos: tf.minimum(tf.sub(w, tf.mul(lr, g)), 0) };
        for (const [projection, expected] of Object.entries(separate)) {
          const fused = runProjectedSgdStepKernel({ w, g, lr }, { projection: projection as SgdStepProjection }).updated;
          expect(Array.from(fused.dataSync()), projection).toEqual(Array.from(expected.dataSync()));
        }
      });
    });
  });
}
