import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import {
  RELU_RNN_V2_GRAD_KERNEL,
  RELU_RNN_V2_KERNEL,
  isReluRnnV2Available,
  reluRnnV2GradOutputNames,
  reluRnnV2KernelConfigs,
  reluRnnV2OutputNames,
  runReluRnnV2Kernel,
  type ReluRnnV2Attrs,
  type ReluRnnV2Inputs,
} from "./relu-rnn-v2-kernel.js";
import { RELU_RNN_GRAD_KERNEL, RELU_RNN_KERNEL, RELU_RNN_KERNEL_FAMILY, isReluRnnAvailable } from "./relu-rnn-kernel.js";
import { registeredKernelVersions, versionedKernelName } from "./versioned-kernel-name.js";
import { withKernels } from "../test-support/failing-kernels.js";

describe("DaleReluRnn_v2: the contract on tfjs \"cpu\"", () => {
  useBackendWithLeakCheck("cpu");

  it("RELU_RNN_V2_KERNEL is \"DaleReluRnn_v2\" (gradient \"DaleReluRnnGrad_v2\"), version 2 of version 1's family; either version alone counts only for itself", () => {
    expect([RELU_RNN_V2_KERNEL, RELU_RNN_V2_GRAD_KERNEL]).toEqual(["DaleReluRnn_v2", "DaleReluRnnGrad_v2"]);
    expect(RELU_RNN_V2_KERNEL).toBe(versionedKernelName(RELU_RNN_KERNEL_FAMILY, 2));
    expect(isReluRnnV2Available()).toBe(false);
    withKernels([RELU_RNN_KERNEL, RELU_RNN_GRAD_KERNEL], () => {
      expect(isReluRnnV2Available()).toBe(false);
      expect(isReluRnnAvailable()).toBe(true);
    });
    withKernels([RELU_RNN_V2_KERNEL], () => expect(isReluRnnV2Available()).toBe(false));
    withKernels([RELU_RNN_V2_KERNEL, RELU_RNN_V2_GRAD_KERNEL, RELU_RNN_KERNEL], () => {
      expect(isReluRnnV2Available()).toBe(true);
      expect(isReluRnnAvailable()).toBe(false);
      expect(registeredKernelVersions(RELU_RNN_KERNEL_FAMILY)).toEqual([1, 2]);
    });
    withKernels([versionedKernelName(RELU_RNN_KERNEL_FAMILY, 3), versionedKernelName(`${RELU_RNN_KERNEL_FAMILY}Grad`, 3)], () => expect(isReluRnnV2Available()).toBe(false));
  });

  it("reluRnnV2OutputNames({ returnSequences }) lists the forward's outputs in order, the states first", () => {
    expect(reluRnnV2OutputNames({ returnSequences: true })).toEqual(["states"]);
    expect(reluRnnV2OutputNames({ returnSequences: false })).toEqual(["saved", "last"]);
  });

  it("reluRnnV2GradOutputNames({ inputGradient }) lists the gradient kernel's outputs in order, dx last", () => {
    expect(reluRnnV2GradOutputNames({ inputGradient: false })).toEqual(["du", "dbias", "dw", "dh0"]);
    expect(reluRnnV2GradOutputNames({ inputGradient: true })).toEqual(["du", "dbias", "dw", "dh0", "dx"]);
  });

  it("runReluRnnV2Kernel rejects a returnSequences or inputGradient that is not a boolean, naming it, before calling the backend", () => {
    withKernels([RELU_RNN_V2_KERNEL, RELU_RNN_V2_GRAD_KERNEL], () => {
      const inputs = (): ReluRnnV2Inputs => ({ x: tf.zeros([1, 2, 3]), u: tf.zeros([4, 3]), bias: tf.zeros([4]), w: tf.zeros([4, 4]), h0: tf.zeros([1, 4]) });
      expect(() => tf.tidy(() => runReluRnnV2Kernel(inputs(), { inputGradient: "yes" as unknown as boolean }))).toThrow(new TypeError(`${RELU_RNN_V2_KERNEL}: inputGradient must be a boolean; got "yes"`));
      expect(() => tf.tidy(() => runReluRnnV2Kernel(inputs(), { returnSequences: 1 as unknown as boolean }))).toThrow(new TypeError(`${RELU_RNN_V2_KERNEL}: returnSequences must be a boolean; got 1`));
      expect(() => tf.tidy(() => runReluRnnV2Kernel(inputs()))).toThrow(`${RELU_RNN_V2_KERNEL} must not be called`);
    });
  });

  it("the gradient runs the gradient kernel once with dL/d(output) and the forward's x, states (output 0), U, W, h0, ignores the dy of `saved`, hands each input its output, and asks for dL/dx exactly when an earlier op made x (a second call when an input itself is differentiated)", () => {
    type Backend = { makeTensorInfo(shape: number[], dtype: "float32", values: Float32Array): tf.TensorInfo };
    const calls: Array<{ attrs: ReluRnnV2Attrs; shapes: Record<string, number[]>; dy: number[] }> = [];
    const values = (backend: Backend, t: tf.TensorInfo) => Array.from((backend as unknown as { data: { get(id: object): { values: Float32Array } } }).data.get(t.dataId).values);
    const fill = (backend: Backend, shape: number[], v: number) => backend.makeTensorInfo(shape, "float32", new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(v));
    const configs = reluRnnV2KernelConfigs<Backend>("cpu", {
      forward: ({ inputs, attrs, backend }) => {
        const [B, T] = inputs.x.shape as [number, number];
        const n = inputs.u.shape[0]!;
        return attrs.returnSequences ? { states: fill(backend, [B, T, n], 0.5) } : { saved: fill(backend, [T, B, n], 0.25), last: fill(backend, [B, n], 0.5) };
      },
      gradient: ({ inputs, attrs, backend }) => {
        calls.push({ attrs, shapes: Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, (t as tf.TensorInfo).shape])), dy: values(backend, inputs.dy) });
        const { x, u, w, h0 } = inputs;
        return {
          du: fill(backend, u.shape, 1),
          dbias: fill(backend, [u.shape[0]!], 2),
          dw: fill(backend, w.shape, 3),
          dh0: fill(backend, h0.shape, 4),
          ...(attrs.inputGradient ? { dx: fill(backend, x.shape, 5) } : {}),
        };
      },
    });
    const B = 2, T = 3, d = 4, n = 5;
    const names = ["x", "u", "bias", "w", "h0"] as const;
    const make = (): ReluRnnV2Inputs => ({ x: tf.ones([B, T, d]), u: tf.ones([n, d]), bias: tf.ones([n]), w: tf.ones([n, n]), h0: tf.ones([B, n]) });
    withKernels(configs, () => {
      for (const madeByOp of [true, false]) {
        for (const returnSequences of [false, true]) {
          calls.length = 0;
          let firsts: number[] = [];
          tf.tidy(() => {
            const t = make();
            const f = (...ts: tf.Tensor[]) => {
              const named = Object.fromEntries(names.map((k, i) => [k, ts[i]])) as unknown as ReluRnnV2Inputs;
              const x = madeByOp ? (tf.mul(named.x, 1) as tf.Tensor3D) : named.x;
              const out = runReluRnnV2Kernel({ ...named, x }, { returnSequences });
              expect(Object.keys(out)).toEqual(returnSequences ? ["states"] : ["saved", "last"]);
              return tf.sum(tf.mul(returnSequences ? out.states! : out.last!, 3));
            };
            firsts = tf.grads(f)(names.map((k) => t[k])).map((g) => g.dataSync()[0]!);
          });
          const what = `x made by an op ${madeByOp}, returnSequences ${returnSequences}`;
          expect(firsts, what).toEqual([5, 1, 2, 3, 4]);
          expect(calls.map((call) => call.attrs), what).toEqual(
            (madeByOp ? [true] : [false, true]).map((inputGradient) => ({ returnSequences, inputGradient })),
          );
          expect(calls[0]!.shapes, what).toEqual({ dy: returnSequences ? [B, T, n] : [B, n], x: [B, T, d], h: returnSequences ? [B, T, n] : [T, B, n], u: [n, d], w: [n, n], h0: [B, n] });
          expect(new Set(calls[0]!.dy), what).toEqual(new Set([3]));
        }
      }
      // A network's input, not differentiated: one call, no dL/dx.
      calls.length = 0;
      tf.tidy(() => {
        const t = make();
        tf.grads((u: tf.Tensor) => tf.sum(runReluRnnV2Kernel({ ...t, u: u as tf.Tensor2D }).last!))([t.u]);
      });
      expect(calls.map((call) => call.attrs.inputGradient)).toEqual([false]);
      // inputGradient given explicitly wins over the tape.
      calls.length = 0;
      tf.tidy(() => {
        const t = make();
        tf.grads((u: tf.Tensor) => tf.sum(runReluRnnV2Kernel({ ...t, u: u as tf.Tensor2D }, { inputGradient: true }).last!))([t.u]);
      });
      expect(calls.map((call) => call.attrs.inputGradient)).toEqual([true]);
    });
  });
});
