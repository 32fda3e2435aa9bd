import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { centralDifferencesInPlace, relativeError, useBackendWithLeakCheck } from "@dale-nn/test-support";
import {
  DANN_DENSE_V2_GRAD_KERNEL,
  DANN_DENSE_V2_KERNEL,
  dannDenseV2,
  dannDenseV2Fallback,
  dannDenseV2GradOutputNames,
  dannDenseV2KernelConfigs,
  isDannDenseV2Available,
  runDannDenseV2Kernel,
  type DannDenseV2Attrs,
  type DannDenseV2Inputs,
} from "./dann-dense-v2-kernel.js";
import { DANN_DENSE_GRAD_KERNEL, DANN_DENSE_KERNEL, DANN_DENSE_KERNEL_FAMILY } from "./dann-dense-kernel.js";
import type { DenseActivation } from "./dense-kernel.js";
import { registeredKernelVersions, versionedKernelName } from "./versioned-kernel-name.js";
import { withKernels } from "../test-support/failing-kernels.js";
import { dannDenseV2Forward64, dannV2Groups, type DannV2Case, type DannV2Groups } from "../test-support/dann-dense-v2-64.js";

type Mode = { divisive: boolean; activation: DenseActivation };
const MODES: readonly Mode[] = [
  { divisive: true, activation: "relu" },
  { divisive: true, activation: "linear" },
  { divisive: false, activation: "relu" },
  { divisive: false, activation: "linear" },
];
const label = (m: Mode) => `${m.divisive ? "divisive" : "subtractive"} ${m.activation}`;
const GROUPS = ["x", "wEE", "wIE", "wEI", "b", "alpha", "g"] as const;

/** The layer's tensors from float64 groups (float32-representable values). */
function tensors(p: DannV2Groups, c: DannV2Case): DannDenseV2Inputs {
  const { B, d, ne, ni } = c;
  const t2 = (v: Float64Array, r: number, k: number) => tf.tensor2d(Float32Array.from(v), [r, k]);
  return {
    x: t2(p.x, B, d),
    wEE: t2(p.wEE, ne, d),
    wIE: t2(p.wIE, ni, d),
    wEI: t2(p.wEI, ne, ni),
    b: tf.tensor1d(Float32Array.from(p.b)),
    ...(c.divisive ? { alpha: tf.tensor1d(Float32Array.from(p.alpha!)), g: tf.tensor1d(Float32Array.from(p.g!)) } : {}),
  };
}

describe("DaleDannDense_v2: the contract, and its fallback on tfjs \"cpu\"", () => {
  useBackendWithLeakCheck("cpu");

  it("DANN_DENSE_V2_KERNEL is \"DaleDannDense_v2\" (gradient \"DaleDannDenseGrad_v2\"), version 2 of version 1's family; either version alone counts only for itself", () => {
    expect([DANN_DENSE_V2_KERNEL, DANN_DENSE_V2_GRAD_KERNEL]).toEqual(["DaleDannDense_v2", "DaleDannDenseGrad_v2"]);
    expect(DANN_DENSE_V2_KERNEL).toBe(versionedKernelName(DANN_DENSE_KERNEL_FAMILY, 2));
    expect(isDannDenseV2Available()).toBe(false);
    withKernels([DANN_DENSE_KERNEL, DANN_DENSE_GRAD_KERNEL], () => expect(isDannDenseV2Available()).toBe(false));
    withKernels([DANN_DENSE_V2_KERNEL], () => expect(isDannDenseV2Available()).toBe(false));
    withKernels([DANN_DENSE_V2_KERNEL, DANN_DENSE_V2_GRAD_KERNEL, DANN_DENSE_KERNEL], () => {
      expect(isDannDenseV2Available()).toBe(true);
      expect(registeredKernelVersions(DANN_DENSE_KERNEL_FAMILY)).toEqual([1, 2]);
    });
    withKernels([versionedKernelName(DANN_DENSE_KERNEL_FAMILY, 3), versionedKernelName(`${DANN_DENSE_KERNEL_FAMILY}Grad`, 3)], () => expect(isDannDenseV2Available()).toBe(false));
  });

  it("dannDenseV2GradOutputNames({ divisive, inputGradient }) lists the gradient kernel's outputs in order", () => {
    expect(dannDenseV2GradOutputNames({ divisive: false, inputGradient: false })).toEqual(["dwEE", "dwIE", "dwEI", "db"]);
    expect(dannDenseV2GradOutputNames({ divisive: false, inputGradient: true })).toEqual(["dwEE", "dwIE", "dwEI", "db", "dx"]);
    expect(dannDenseV2GradOutputNames({ divisive: true, inputGradient: false })).toEqual(["dwEE", "dwIE", "dwEI", "db", "dalpha", "dg"]);
    expect(dannDenseV2GradOutputNames({ divisive: true, inputGradient: true })).toEqual(["dwEE", "dwIE", "dwEI", "db", "dalpha", "dg", "dx"]);
  });

  it("runDannDenseV2Kernel and dannDenseV2Fallback reject an unknown activation, α / g missing or extra, and a bad eps, naming the value, before calling the backend", () => {
    withKernels([DANN_DENSE_V2_KERNEL, DANN_DENSE_V2_GRAD_KERNEL], () =>
      tf.tidy(() => {
        const p = tensors(dannV2Groups({ B: 2, d: 3, ne: 4, ni: 1, divisive: true, activation: "relu" }, 1), { B: 2, d: 3, ne: 4, ni: 1, divisive: true, activation: "relu" });
        const { alpha, g, ...subtractive } = p;
        const k = DANN_DENSE_V2_KERNEL;
        expect(() => runDannDenseV2Kernel(p, { activation: "softmax" as DenseActivation, divisive: true })).toThrow(new TypeError(`${k}: unknown activation "softmax"; expected one of linear, relu`));
        expect(() => runDannDenseV2Kernel({ ...subtractive, alpha }, { activation: "relu", divisive: true })).toThrow(`${k}: divisive inhibition needs alpha and g; got alpha and no g`);
        expect(() => runDannDenseV2Kernel({ ...subtractive, g }, { activation: "relu", divisive: false })).toThrow(`${k}: subtractive inhibition (divisive: false) takes no alpha or g; got g`);
        expect(() => runDannDenseV2Kernel(p, { activation: "relu", divisive: "yes" as unknown as boolean })).toThrow(`${k}: divisive must be a boolean; got "yes"`);
        expect(() => dannDenseV2Fallback(p, { activation: "relu", divisive: true, eps: -1 })).toThrow(`${k} fallback: eps must be a finite number >= 0; got -1`);
        expect(() => runDannDenseV2Kernel(p, { activation: "relu", divisive: true })).toThrow(`${k} must not be called`);
      }),
    );
  });

  for (const mode of MODES) {
    it(`dannDenseV2Fallback (${label(mode)}) gives eq. 1 of a float64 reference to float32 rounding, for batch 1, odd sizes and a wide input; dannDenseV2 on cpu is the fallback`, () => {
      for (const [B, d, ne, ni] of [[1, 1, 1, 1], [1, 7, 3, 1], [5, 9, 7, 3], [33, 17, 11, 4], [2, 300, 10, 2]] as const) {
        const c: DannV2Case = { B, d, ne, ni, ...mode };
        const p = dannV2Groups(c, B + d + ne + ni);
        const [y, viaWrapper, saved] = tf.tidy(() => {
          const t = tensors(p, c);
          const out = dannDenseV2Fallback(t, mode, true);
          return [out.y.dataSync(), dannDenseV2(t, mode).dataSync(), out.saved!.dataSync()];
        });
        const what = `${label(mode)} B ${B}, d ${d}, ne ${ne}, ni ${ni}`;
        const ref = dannDenseV2Forward64(p, c);
        expect(relativeError(y, ref), what).toBeLessThan(1e-5);
        expect(Array.from(viaWrapper), what).toEqual(Array.from(y));
        // The packed layout: rows [c | γ | z_I] then g, e^α (divisive), or rows z_I.
        const P = mode.divisive ? 2 * ne + ni : ni;
        expect(saved.length, what).toBe(B * P + (mode.divisive ? ne + ni : 0));
        const zI64 = Float64Array.from({ length: B * ni }, (_, i) => {
          const [r, j] = [Math.floor(i / ni), i % ni];
          let s = 0;
          for (let k = 0; k < d; k++) s += p.wIE[j * d + k]! * p.x[r * d + k]!;
          return s;
        });
        const zI = Float64Array.from({ length: B * ni }, (_, i) => saved[Math.floor(i / ni) * P + (P - ni) + (i % ni)]!);
        expect(relativeError(zI, zI64), what).toBeLessThan(1e-5);
        if (mode.divisive) {
          expect(Array.from(saved.slice(B * P, B * P + ne)), what).toEqual(Array.from(Float32Array.from(p.g!)));
          expect(relativeError(saved.slice(B * P + ne), p.alpha!.map(Math.exp)), what).toBeLessThan(1e-6);
        }
      }
    });

    it(`dannDenseV2Fallback (${label(mode)}): dL/dx and every parameter gradient (tf.grads on cpu) match float64 central finite differences to 1e-4`, () => {
      const c: DannV2Case = { B: 4, d: 7, ne: 5, ni: 3, ...mode };
      const p = dannV2Groups(c, 17);
      const R = Float64Array.from({ length: c.B * c.ne }, (_, i) => Math.sin(1.7 * i + 0.3));
      const loss64 = (): number => dannDenseV2Forward64(p, c).reduce((s, y, i) => s + Math.tanh(y) * R[i]!, 0);
      const names = GROUPS.filter((n) => p[n] !== undefined);
      let grads: Float64Array[] = [];
      tf.tidy(() => {
        const t = tensors(p, c);
        const Rt = tf.tensor2d(Float32Array.from(R), [c.B, c.ne]);
        const f = (...ts: tf.Tensor[]) => {
          const named = Object.fromEntries(names.map((n, i) => [n, ts[i]])) as unknown as DannDenseV2Inputs;
          return tf.sum(tf.mul(tf.tanh(dannDenseV2Fallback(named, mode).y), Rt));
        };
        grads = tf.grads(f)(names.map((n) => t[n]!)).map((g) => Float64Array.from(g.dataSync()));
      });
      names.forEach((name, i) => {
        const err = relativeError(grads[i]!, centralDifferencesInPlace(p[name]!, loss64));
        expect(err, `${label(mode)}: gradient of ${name}, relative error ${err}`).toBeLessThan(1e-4);
      });
    });
  }

  it("the gradient runs the gradient kernel once with the forward's x, W_EE, W_IE, W_EI, y and packed tensor, hands each input its output, and asks for dL/dx exactly when an earlier op made x (a second call when an input itself is differentiated)", () => {
    type Backend = { makeTensorInfo(shape: number[], dtype: "float32", values: Float32Array): tf.TensorInfo };
    const calls: Array<{ attrs: DannDenseV2Attrs; shapes: Record<string, number[]> }> = [];
    const fill = (backend: Backend, shape: number[], v: number) => backend.makeTensorInfo(shape, "float32", new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(v));
    const configs = dannDenseV2KernelConfigs<Backend>("cpu", {
      forward: ({ inputs, attrs, backend }) => {
        const [B, ne] = [inputs.x.shape[0]!, inputs.wEE.shape[0]!];
        const ni = inputs.wIE.shape[0]!;
        return { y: fill(backend, [B, ne], 0.5), saved: fill(backend, [attrs.divisive ? B * (2 * ne + ni) + ne + ni : B * ni], 9) };
      },
      gradient: ({ inputs, attrs, backend }) => {
        calls.push({ attrs, shapes: Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, (t as tf.TensorInfo).shape])) });
        const { x, wEE, wIE, wEI } = inputs;
        return {
          dwEE: fill(backend, wEE.shape, 1),
          dwIE: fill(backend, wIE.shape, 2),
          dwEI: fill(backend, wEI.shape, 3),
          db: fill(backend, [wEE.shape[0]!], 4),
          ...(attrs.divisive ? { dalpha: fill(backend, [wIE.shape[0]!], 5), dg: fill(backend, [wEE.shape[0]!], 6) } : {}),
          ...(attrs.inputGradient ? { dx: fill(backend, x.shape, 7) } : {}),
        };
      },
    });
    withKernels(configs, () => {
      for (const divisive of [true, false]) {
        const c: DannV2Case = { B: 3, d: 4, ne: 5, ni: 2, divisive, activation: "relu" };
        const names = GROUPS.filter((n) => divisive || (n !== "alpha" && n !== "g"));
        for (const madeByOp of [true, false]) {
          calls.length = 0;
          let firsts: number[] = [];
          tf.tidy(() => {
            const t = tensors(dannV2Groups(c, 3), c);
            const f = (...ts: tf.Tensor[]) => {
              const named = Object.fromEntries(names.map((n, i) => [n, ts[i]])) as unknown as DannDenseV2Inputs;
              const x = madeByOp ? (tf.mul(named.x, 1) as tf.Tensor2D) : named.x;
              return tf.sum(runDannDenseV2Kernel({ ...named, x }, { activation: "relu", divisive }).y);
            };
            firsts = tf.grads(f)(names.map((n) => t[n]!)).map((g) => g.dataSync()[0]!);
          });
          const what = `divisive ${divisive}, x made by an op ${madeByOp}`;
          expect(firsts, what).toEqual(names.map((n) => ({ x: 7, wEE: 1, wIE: 2, wEI: 3, b: 4, alpha: 5, g: 6 })[n]));
          expect(calls.map((call) => call.attrs.inputGradient), what).toEqual(madeByOp ? [true] : [false, true]);
          const P = divisive ? 2 * 5 + 2 : 2;
          expect(calls[0]!.shapes, what).toEqual({ dy: [3, 5], x: [3, 4], wEE: [5, 4], wIE: [2, 4], wEI: [5, 2], y: [3, 5], saved: [3 * P + (divisive ? 7 : 0)] });
        }
        // A network's input, not differentiated: one call, no dL/dx.
        calls.length = 0;
        tf.tidy(() => {
          const t = tensors(dannV2Groups(c, 4), c);
          tf.grads((wEE: tf.Tensor) => tf.sum(runDannDenseV2Kernel({ ...t, wEE: wEE as tf.Tensor2D }, { activation: "linear", divisive }).y))([t.wEE]);
        });
        expect(calls.map((call) => call.attrs.inputGradient)).toEqual([false]);
      }
    });
  });
});
