import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import {
  DANN_DENSE_GRAD_KERNEL,
  DANN_DENSE_KERNEL,
  DANN_DENSE_KERNEL_FAMILY,
  DANN_DENSE_V2_GRAD_KERNEL,
  DANN_DENSE_V2_KERNEL,
  dannDenseV2Fallback,
  CT_RNN_GRAD_KERNEL,
  CT_RNN_KERNEL,
  CT_RNN_KERNEL_FAMILY,
  DENSE_GRAD_KERNEL,
  DENSE_KERNEL,
  DENSE_KERNEL_FAMILY,
  RELU_RNN_GRAD_KERNEL,
  RELU_RNN_KERNEL,
  RELU_RNN_KERNEL_FAMILY,
  RELU_RNN_V2_GRAD_KERNEL,
  RELU_RNN_V2_KERNEL,
  versionedKernelName,
} from "@dale-nn/core";
import { dannDense, type DannDenseParams } from "./dann-dense.js";
import { rnnForward } from "./recurrent.js";
import { ctRnnForward, type CtRnnParams } from "./ct-rnn-forward.js";
import { denseForward } from "./dense-forward.js";
import { StandardDense } from "./standard-dense-layer.js";
import { ColEiDense } from "./column-ei-dense-layer.js";
import { DannLinear } from "./dann-linear-layer.js";
import { DannDense } from "./dann-dense-layer.js";
import { dannLinearForward } from "./dann-linear-forward.js";
import { composeDann } from "./recurrent.js";
import type { EiActivation } from "./internal/layer-support.js";
// Test code only, never packaged. (Only forward passes are run against a failing kernel: a kernel
// throwing inside tf.valueAndGrads leaves the engine's tape behind.)
import { withKernels } from "../../core/src/test-support/failing-kernels.js";

const params = (): DannDenseParams => ({
  wEE: tf.randomUniform([4, 6], 0, 1, "float32", 1) as tf.Tensor2D,
  wIE: tf.randomUniform([2, 6], 0, 1, "float32", 2) as tf.Tensor2D,
  wEI: tf.randomUniform([4, 2], 0, 1, "float32", 3) as tf.Tensor2D,
  alpha: tf.tensor1d([-0.2, 0.3]),
  g: tf.ones([4]) as tf.Tensor1D,
  beta: tf.zeros([4]) as tf.Tensor1D,
});

/** Loss and every gradient of a DANN layer, as host numbers. */
const dannNumbers = (fused: boolean): number[] =>
  tf.tidy(() => {
    const x = tf.randomUniform([3, 6], 0, 1, "float32", 4) as tf.Tensor2D;
    const p = params();
    const f = (wEE: tf.Tensor, wIE: tf.Tensor, wEI: tf.Tensor, alpha: tf.Tensor) =>
      tf.sum(tf.square(dannDense(x, { ...p, wEE: wEE as tf.Tensor2D, wIE: wIE as tf.Tensor2D, wEI: wEI as tf.Tensor2D, alpha: alpha as tf.Tensor1D }, { fused }))) as tf.Scalar;
    const { value, grads } = tf.valueAndGrads(f)([p.wEE, p.wIE, p.wEI, p.alpha]);
    return [value, ...grads].flatMap((t) => Array.from(t.dataSync()));
  });

/** Loss and gradients of a ReLU RNN, as host numbers. */
const rnnNumbers = (fused: boolean): number[] =>
  tf.tidy(() => {
    const x = tf.randomUniform([2, 5, 3], -1, 1, "float32", 5) as tf.Tensor3D;
    const f = (u: tf.Tensor, w: tf.Tensor) =>
      tf.sum(tf.square(rnnForward(x, { u: u as tf.Tensor2D, w: w as tf.Tensor2D, bias: tf.zeros([4]) as tf.Tensor1D }, { fused, returnSequences: true }))) as tf.Scalar;
    const { value, grads } = tf.valueAndGrads(f)([tf.randomNormal([4, 3], 0, 0.6, "float32", 6), tf.randomNormal([4, 4], 0, 0.4, "float32", 7)]);
    return [value, ...grads].flatMap((t) => Array.from(t.dataSync()));
  });

/** Loss, states and every gradient of a CT-RNN (per-unit τ, v_0, recurrent noise), as host numbers. */
const ctNumbers = (fused: boolean): number[] =>
  tf.tidy(() => {
    const u = tf.randomUniform([2, 6, 3], 0, 1, "float32", 8) as tf.Tensor3D;
    const names = ["wIn", "wRec", "bias", "wOut", "biasOut", "tau", "v0"] as const;
    const p = [
      tf.randomNormal([4, 3], 0, 0.6, "float32", 9), tf.randomNormal([4, 4], 0, 0.5, "float32", 10), tf.randomNormal([4], 0, 0.2, "float32", 11),
      tf.randomNormal([2, 4], 0, 0.5, "float32", 12), tf.zeros([2]), tf.tensor1d([20, 40, 100, 200]), tf.randomNormal([4], 0, 0.5, "float32", 13),
    ];
    const run = (ts: tf.Tensor[]) => ctRnnForward(Object.fromEntries(names.map((k, i) => [k, ts[i]!])) as unknown as CtRnnParams, u, { dt: 20, recurrentNoise: 0.1, seed: 3, fused });
    const f = (...ts: tf.Tensor[]) => {
      const { states, outputs } = run(ts);
      return tf.add(tf.sum(tf.square(outputs)), tf.sum(states)) as tf.Scalar;
    };
    const { value, grads } = tf.valueAndGrads(f)(p);
    return [value, run(p).states, ...grads].flatMap((t) => Array.from(t.dataSync()));
  });

/** Output and every gradient (x, W, b) of a dense layer, as host numbers. */
const denseNumbers = (activation: EiActivation, fused: boolean): number[] =>
  tf.tidy(() => {
    const x = tf.randomUniform([3, 5], -1, 1, "float32", 8);
    const f = (xv: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.square(denseForward(xv as tf.Tensor2D, { w: w as tf.Tensor2D, b: b as tf.Tensor1D }, { activation, fused }))) as tf.Scalar;
    const { value, grads } = tf.valueAndGrads(f)([x, tf.randomNormal([4, 5], 0, 0.6, "float32", 9), tf.randomNormal([4], 0, 0.3, "float32", 10)]);
    return [value, ...grads].flatMap((t) => Array.from(t.dataSync()));
  });

describe("the library falls back to separate ops when a backend lacks a fused kernel or has another version", () => {
  useBackendWithLeakCheck("cpu");

  it("dannDense on cpu (no fused kernel) gives the numbers of dannDense(…, { fused: false }), gradients included", () => {
    expect(dannNumbers(true)).toEqual(dannNumbers(false));
  });

  it("dannDense on a backend with version 0 of the DANN kernel uses the separate ops and gives the same numbers", () => {
    const separate = dannNumbers(false);
    const v0 = [versionedKernelName(DANN_DENSE_KERNEL_FAMILY, 0), versionedKernelName(`${DANN_DENSE_KERNEL_FAMILY}Grad`, 0)];
    expect(withKernels(v0, () => dannNumbers(true))).toEqual(separate);
  });

  it("dannDense does call this version of the kernel when the backend has it (so the check above is not vacuous)", () => {
    const forward = () => tf.tidy(() => dannDense(tf.ones([3, 6]) as tf.Tensor2D, params()));
    expect(() => withKernels([DANN_DENSE_KERNEL, DANN_DENSE_GRAD_KERNEL], forward)).toThrow(`${DANN_DENSE_KERNEL} must not be called`);
  });

  it("dannDense(…, { activation: \"relu\" }) on cpu is relu(dannDense(…)) and @dale-nn/core's dannDenseV2Fallback (divisive) bit for bit, gradients included", () => {
    const numbers = (how: "relu option" | "relu after" | "core fallback"): number[] =>
      tf.tidy(() => {
        const x = tf.randomUniform([3, 6], 0, 1, "float32", 4) as tf.Tensor2D;
        const p = params();
        const f = (xv: tf.Tensor, wEE: tf.Tensor, wIE: tf.Tensor, wEI: tf.Tensor, alpha: tf.Tensor, g: tf.Tensor, beta: tf.Tensor) => {
          const q = { wEE, wIE, wEI, alpha, g, beta } as DannDenseParams;
          const y =
            how === "relu option" ? dannDense(xv as tf.Tensor2D, q, { activation: "relu" })
            : how === "relu after" ? tf.relu(dannDense(xv as tf.Tensor2D, q))
            : dannDenseV2Fallback({ x: xv as tf.Tensor2D, wEE: q.wEE, wIE: q.wIE, wEI: q.wEI, b: q.beta, alpha: q.alpha, g: q.g }, { activation: "relu", divisive: true }).y;
          return tf.sum(tf.square(tf.sub(y, 0.3))) as tf.Scalar;
        };
        const { value, grads } = tf.valueAndGrads(f)([x, p.wEE, p.wIE, p.wEI, p.alpha, tf.randomUniform([4], 0.5, 1.5, "float32", 5), tf.randomNormal([4], 0, 0.3, "float32", 6)]);
        return [value, ...grads].flatMap((t) => Array.from(t.dataSync()));
      });
    const expected = numbers("relu after");
    expect(numbers("relu option")).toEqual(expected);
    expect(numbers("core fallback")).toEqual(expected);
    expect(() => tf.tidy(() => dannDense(tf.ones([3, 6]) as tf.Tensor2D, params(), { activation: "tanh" as "relu" }))).toThrow('dannDense: unknown activation "tanh"; expected one of linear, relu');
  });

  it("dannDense, DannDense (relu, linear) and DannLinear (relu, linear) call version 2 of the DANN kernel when the backend has it; DannDense falls back to version 1, DannLinear to the dense kernel, when it has only those", () => {
    const v2 = [DANN_DENSE_V2_KERNEL, DANN_DENSE_V2_GRAD_KERNEL];
    const x = () => tf.ones([2, 6]) as tf.Tensor2D;
    for (const activation of ["linear", "relu"] as const) {
      expect(() => withKernels(v2, () => tf.tidy(() => dannDense(x(), params(), { activation }))), activation).toThrow(`${DANN_DENSE_V2_KERNEL} must not be called`);
      expect(() => withKernels([DANN_DENSE_KERNEL, DANN_DENSE_GRAD_KERNEL], () => tf.tidy(() => dannDense(x(), params(), { activation }))), activation).toThrow(`${DANN_DENSE_KERNEL} must not be called`);
      for (const [layer, older] of [
        [new DannDense({ units: 3, inhibitoryUnits: 2, seed: 1, activation }), [DANN_DENSE_KERNEL, DANN_DENSE_GRAD_KERNEL]],
        [new DannLinear({ units: 3, inhibitoryUnits: 1, seed: 1, activation }), [DENSE_KERNEL, DENSE_GRAD_KERNEL]],
      ] as const) {
        tf.tidy(() => void layer.apply(x())); // builds it, with the separate ops
        const what = `${layer.getClassName()} ${activation}`;
        expect(() => withKernels([...v2, ...older], () => tf.tidy(() => layer.apply(x()) as tf.Tensor)), what).toThrow(`${DANN_DENSE_V2_KERNEL} must not be called`);
        expect(() => withKernels(older, () => tf.tidy(() => layer.apply(x()) as tf.Tensor)), what).toThrow(`${older[0]} must not be called`);
        layer.dispose();
      }
    }
    // Softmax after the kernel: DannDense runs it linear; fused: false uses none.
    const softmaxLayer = new DannDense({ units: 3, inhibitoryUnits: 2, seed: 2, activation: "softmax" });
    tf.tidy(() => void softmaxLayer.apply(x()));
    expect(() => withKernels(v2, () => tf.tidy(() => softmaxLayer.apply(x()) as tf.Tensor))).toThrow(`${DANN_DENSE_V2_KERNEL} must not be called`);
    softmaxLayer.dispose();
    const linearParams = () => ({ wEE: params().wEE, wIE: params().wIE, wEI: params().wEI, bias: tf.zeros([4]) as tf.Tensor1D });
    expect(withKernels(v2, () => tf.tidy(() => dannLinearForward(x(), linearParams(), { fused: false }).shape))).toEqual([2, 4]);
    expect(withKernels(v2, () => tf.tidy(() => dannLinearForward(x(), linearParams(), { activation: "tanh" }).shape))).toEqual([2, 4]);
  });

  it("dannLinearForward on cpu (no fused kernel) is denseForward with W = composeDann(W_EE, W_IE, W_EI), gradients included", () => {
    for (const activation of ["linear", "relu"] as const) {
      const numbers = (composed: boolean): number[] =>
        tf.tidy(() => {
          const x = tf.randomUniform([3, 6], 0, 1, "float32", 4) as tf.Tensor2D;
          const p = params();
          const f = (wEE: tf.Tensor, wIE: tf.Tensor, wEI: tf.Tensor, bias: tf.Tensor) => {
            const q = { wEE: wEE as tf.Tensor2D, wIE: wIE as tf.Tensor2D, wEI: wEI as tf.Tensor2D, bias: bias as tf.Tensor1D };
            const y = composed ? denseForward(x, { w: composeDann({ ee: q.wEE, ie: q.wIE, ei: q.wEI }), b: q.bias }, { activation }) : dannLinearForward(x, q, { activation });
            return tf.sum(tf.square(y)) as tf.Scalar;
          };
          const { value, grads } = tf.valueAndGrads(f)([p.wEE, p.wIE, p.wEI, tf.randomNormal([4], 0, 0.3, "float32", 6)]);
          return [value, ...grads].flatMap((t) => Array.from(t.dataSync()));
        });
      expect(numbers(false), activation).toEqual(numbers(true));
    }
  });

  it("denseForward on cpu (no fused kernel) is add(matMul(x, W, false, true), b) then the activation, gradients included", () => {
    for (const activation of ["linear", "relu", "tanh"] as const) {
      const expected = tf.tidy(() => {
        const x = tf.randomUniform([3, 5], -1, 1, "float32", 8);
        const f = (xv: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => {
          const z = tf.add(tf.matMul(xv, w, false, true), b);
          return tf.sum(tf.square(activation === "relu" ? tf.relu(z) : activation === "tanh" ? tf.tanh(z) : z)) as tf.Scalar;
        };
        const { value, grads } = tf.valueAndGrads(f)([x, tf.randomNormal([4, 5], 0, 0.6, "float32", 9), tf.randomNormal([4], 0, 0.3, "float32", 10)]);
        return [value, ...grads].flatMap((t) => Array.from(t.dataSync()));
      });
      expect(denseNumbers(activation, true), activation).toEqual(expected);
      expect(denseNumbers(activation, false), activation).toEqual(expected);
    }
  });

  it("denseForward on a backend with version 0 of the dense kernel uses the separate ops and gives the same numbers", () => {
    const v0 = [versionedKernelName(DENSE_KERNEL_FAMILY, 0), versionedKernelName(`${DENSE_KERNEL_FAMILY}Grad`, 0)];
    for (const activation of ["linear", "relu"] as const) {
      const separate = denseNumbers(activation, false);
      expect(withKernels(v0, () => denseNumbers(activation, true)), activation).toEqual(separate);
    }
  });

  it("denseForward, StandardDense, ColEiDense and DannLinear (linear and relu) call this version of the dense kernel when the backend has it; softmax, tanh and fused: false do not", () => {
    const v1 = [DENSE_KERNEL, DENSE_GRAD_KERNEL];
    const x = () => tf.ones([2, 6]) as tf.Tensor2D;
    const params = () => ({ w: tf.ones([3, 6]) as tf.Tensor2D, b: tf.zeros([3]) as tf.Tensor1D });
    for (const activation of ["linear", "relu"] as const) {
      expect(() => withKernels(v1, () => tf.tidy(() => denseForward(x(), params(), { activation }))), activation).toThrow(`${DENSE_KERNEL} must not be called`);
      for (const layer of [new StandardDense({ units: 3, seed: 1, activation }), new ColEiDense({ units: 3, inhibitoryInputs: 2, seed: 1, activation }), new DannLinear({ units: 3, inhibitoryUnits: 1, seed: 1, activation })]) {
        tf.tidy(() => void layer.apply(x())); // builds it, with the separate ops
        expect(() => withKernels(v1, () => tf.tidy(() => layer.apply(x()) as tf.Tensor)), `${layer.getClassName()} ${activation}`).toThrow(`${DENSE_KERNEL} must not be called`);
        layer.dispose();
      }
    }
    for (const activation of ["softmax", "tanh", "sigmoid"] as const) {
      expect(withKernels(v1, () => tf.tidy(() => denseForward(x(), params(), { activation }).shape)), activation).toEqual([2, 3]);
    }
    expect(withKernels(v1, () => tf.tidy(() => denseForward(x(), params(), { fused: false }).shape))).toEqual([2, 3]);
  });

  it("rnnForward on cpu and on a backend with version 0 or 3 of the recurrence kernel gives the per-step numbers, calls version 2 when present, else version 1", () => {
    const perStep = rnnNumbers(false);
    expect(rnnNumbers(true)).toEqual(perStep);
    for (const version of [0, 3]) {
      const other = [versionedKernelName(RELU_RNN_KERNEL_FAMILY, version), versionedKernelName(`${RELU_RNN_KERNEL_FAMILY}Grad`, version)];
      expect(withKernels(other, () => rnnNumbers(true)), `version ${version}`).toEqual(perStep);
    }
    const forward = () => tf.tidy(() => rnnForward(tf.ones([2, 5, 3]) as tf.Tensor3D, { u: tf.ones([4, 3]) as tf.Tensor2D, w: tf.eye(4) as tf.Tensor2D, bias: tf.zeros([4]) as tf.Tensor1D }));
    expect(() => withKernels([RELU_RNN_KERNEL, RELU_RNN_GRAD_KERNEL], forward)).toThrow(`${RELU_RNN_KERNEL} must not be called`);
    expect(() => withKernels([RELU_RNN_V2_KERNEL, RELU_RNN_V2_GRAD_KERNEL], forward)).toThrow(`${RELU_RNN_V2_KERNEL} must not be called`);
    expect(() => withKernels([RELU_RNN_KERNEL, RELU_RNN_GRAD_KERNEL, RELU_RNN_V2_KERNEL, RELU_RNN_V2_GRAD_KERNEL], forward)).toThrow(`${RELU_RNN_V2_KERNEL} must not be called`);
    // A forward kernel without its gradient does not count: version 1 runs.
    expect(() => withKernels([RELU_RNN_KERNEL, RELU_RNN_GRAD_KERNEL, RELU_RNN_V2_KERNEL], forward)).toThrow(`${RELU_RNN_KERNEL} must not be called`);
    // fused: false never calls either.
    expect(withKernels([RELU_RNN_KERNEL, RELU_RNN_GRAD_KERNEL, RELU_RNN_V2_KERNEL, RELU_RNN_V2_GRAD_KERNEL], () => rnnNumbers(false))).toEqual(perStep);
  });

  it("rnnForward over one step (T = 1) gives the per-step ops' gradients on cpu (no Unpack of a single step)", () => {
    const f = (u: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.square(rnnForward(tf.ones([2, 1, 3]) as tf.Tensor3D, { u: u as tf.Tensor2D, w: w as tf.Tensor2D, bias: b as tf.Tensor1D }, { returnSequences: true, h0: tf.ones([2, 4]) as tf.Tensor2D }))) as tf.Scalar;
    const grads = tf.tidy(() => tf.grads(f)([tf.fill([4, 3], 0.1), tf.fill([4, 4], 0.2), tf.zeros([4])]).map((g) => Array.from(g.dataSync())));
    // h = relu(0.3 + 0.8) = 1.1 for every unit; dL/dh = 2.2, so dU = 2 · 2.2 · 1 (two samples), dW = 2 · 2.2 · 1, db = 2 · 2.2.
    for (const g of grads) for (const v of g) expect(v).toBeCloseTo(4.4, 5);
  });

  it("ctRnnForward on cpu and on a backend with version 0 of the continuous-time kernel gives the per-step numbers, and calls version 1 when present", () => {
    const perStep = ctNumbers(false);
    expect(ctNumbers(true)).toEqual(perStep);
    const v0 = [versionedKernelName(CT_RNN_KERNEL_FAMILY, 0), versionedKernelName(`${CT_RNN_KERNEL_FAMILY}Grad`, 0)];
    expect(withKernels(v0, () => ctNumbers(true))).toEqual(perStep);
    const forward = (fused: boolean) => () =>
      tf.tidy(() => {
        const p: CtRnnParams = { wIn: tf.ones([4, 3]), wRec: tf.eye(4), bias: tf.zeros([4]), wOut: tf.ones([2, 4]), biasOut: tf.zeros([2]), tau: tf.fill([4], 100) };
        ctRnnForward(p, tf.ones([2, 5, 3]) as tf.Tensor3D, { dt: 20, fused });
      });
    expect(() => withKernels([CT_RNN_KERNEL, CT_RNN_GRAD_KERNEL], forward(true))).toThrow(`${CT_RNN_KERNEL} must not be called`);
    expect(() => withKernels([CT_RNN_KERNEL, CT_RNN_GRAD_KERNEL], forward(false))).not.toThrow();
  });
});
