import * as tf from "@tensorflow/tfjs";
import { DANN_DENSE_V2_DEFAULT_EPS, dannDenseV2, dannDenseV2GradConfig, runDannDenseV2Kernel, runKernelRecordingOneOutput, runReluRnnV2Kernel, runReluRnnV2Layer, type DannDenseV2Inputs } from "@dale-nn/core";
import { describe, expect, it } from "vitest";
import { on, openBlasForTests } from "./test-support/backends.js";

// core's runKernelRecordingOneOutput, through the two contracts that use it (dannDenseV2 and
// runReluRnnV2Layer), against the same kernels run with every output on the tape.
const blas = openBlasForTests();

const B = 6, d = 9, ne = 7, ni = 3, T = 5, n = 8;

function dannInputs(seed: number): DannDenseV2Inputs {
  return {
    x: tf.randomUniform([B, d], 0, 1, "float32", seed) as tf.Tensor2D,
    wEE: tf.randomUniform([ne, d], 0, 0.3, "float32", seed + 1) as tf.Tensor2D,
    wIE: tf.randomUniform([ni, d], 0, 0.3, "float32", seed + 2) as tf.Tensor2D,
    wEI: tf.randomUniform([ne, ni], 0.1, 0.4, "float32", seed + 3) as tf.Tensor2D,
    b: tf.randomNormal([ne], 0, 0.3, "float32", seed + 4) as tf.Tensor1D,
    alpha: tf.randomNormal([ni], 0, 0.3, "float32", seed + 5) as tf.Tensor1D,
    g: tf.randomUniform([ne], 0.5, 1.5, "float32", seed + 6) as tf.Tensor1D,
  };
}
const DANN_NAMES = ["x", "wEE", "wIE", "wEI", "b", "alpha", "g"] as const;
const mode = { activation: "relu", divisive: true } as const;

/** Loss Σ y ⊙ R and its gradients with respect to every input; x as a network input (`xFromOp` false) or an earlier op's output. */
const dannGrads = (recordOne: boolean, xFromOp: boolean) => () => {
  const p = dannInputs(3);
  const R = tf.randomNormal([B, ne], 0, 1, "float32", 20);
  const f = (...ts: tf.Tensor[]) => {
    const named = Object.fromEntries(DANN_NAMES.map((k, i) => [k, ts[i]])) as unknown as DannDenseV2Inputs;
    const inputs = { ...named, x: (xFromOp ? tf.add(named.x, 0) : named.x) as tf.Tensor2D };
    return tf.sum(tf.mul(recordOne ? dannDenseV2(inputs, mode) : runDannDenseV2Kernel(inputs, mode).y, R)) as tf.Scalar;
  };
  const { value, grads } = tf.valueAndGrads(f)(DANN_NAMES.map((k) => p[k]!));
  return [value, ...grads];
};

function rnnInputs(seed: number) {
  return {
    x: tf.randomUniform([B, T, d], 0, 1, "float32", seed) as tf.Tensor3D,
    u: tf.randomNormal([n, d], 0, 0.3, "float32", seed + 1) as tf.Tensor2D,
    bias: tf.randomNormal([n], 0, 0.1, "float32", seed + 2) as tf.Tensor1D,
    w: tf.randomNormal([n, n], 0, 0.3, "float32", seed + 3) as tf.Tensor2D,
    h0: tf.randomUniform([B, n], 0, 1, "float32", seed + 4) as tf.Tensor2D,
  };
}
const RNN_NAMES = ["x", "u", "bias", "w", "h0"] as const;

const rnnGrads = (recordOne: boolean, returnSequences: boolean) => () => {
  const p = rnnInputs(5);
  const R = tf.randomNormal(returnSequences ? [B, T, n] : [B, n], 0, 1, "float32", 21);
  const f = (...ts: tf.Tensor[]) => {
    const named = Object.fromEntries(RNN_NAMES.map((k, i) => [k, ts[i]])) as unknown as ReturnType<typeof rnnInputs>;
    const out = recordOne ? runReluRnnV2Layer(named, { returnSequences }) : runReluRnnV2Kernel(named, { returnSequences });
    const y = recordOne ? (out as tf.Tensor) : returnSequences ? (out as { states: tf.Tensor }).states : (out as { last: tf.Tensor }).last;
    return tf.sum(tf.mul(y, R)) as tf.Scalar;
  };
  const { value, grads } = tf.valueAndGrads(f)(RNN_NAMES.map((k) => p[k]));
  return [value, ...grads];
};

/** The engine's peak bytes over a gradient computation. */
async function peakBytes(fn: () => tf.Tensor[]): Promise<number> {
  return (await tf.profile(() => tf.tidy(() => void fn()))).peakBytes;
}

if (!blas.registered) {
  describe("recording one kernel output without the addon", () => {
    it("is reported unavailable", () => expect(blas.notice).toMatch(/^OpenBLAS backend unavailable: /));
  });
} else {
  describe("runKernelRecordingOneOutput (dannDenseV2, runReluRnnV2Layer)", () => {
    it("dannDenseV2: the loss and the gradients of x, W_EE, W_IE, W_EI, b, α and g are those of the kernel with both outputs on the tape, bit for bit, with x a network input or an earlier op's output", async () => {
      for (const xFromOp of [false, true]) {
        expect(await on(blas.name, dannGrads(true, xFromOp)), `x from op: ${xFromOp}`).toEqual(await on(blas.name, dannGrads(false, xFromOp)));
      }
    });

    it("dannDenseV2: the backward pass no longer allocates a zero tensor the size of the packed tensor (B × (2 n_E + n_I) floats)", async () => {
      await tf.setBackend(blas.name);
      const packedBytes = 4 * B * (2 * ne + ni);
      const all = await peakBytes(dannGrads(false, true));
      const one = await peakBytes(dannGrads(true, true));
      expect(all - one).toBeGreaterThanOrEqual(packedBytes);
    });

    it("runReluRnnV2Layer: last state and all states give the kernel's loss and gradients bit for bit; for the last state the T × B × n zero tensor is gone", async () => {
      for (const returnSequences of [false, true]) {
        expect(await on(blas.name, rnnGrads(true, returnSequences)), `returnSequences: ${returnSequences}`).toEqual(await on(blas.name, rnnGrads(false, returnSequences)));
      }
      await tf.setBackend(blas.name);
      const all = await peakBytes(rnnGrads(false, false));
      const one = await peakBytes(rnnGrads(true, false));
      expect(all - one).toBeGreaterThanOrEqual(4 * T * B * n);
    });

    it("without a tape (inference) nothing is saved or leaked, and y is the kernel's", async () => {
      await tf.setBackend(blas.name);
      const p = dannInputs(4);
      const before = tf.memory().numTensors;
      const y = tf.tidy(() => dannDenseV2(p, mode));
      expect(tf.memory().numTensors).toBe(before + 1);
      const reference = tf.tidy(() => runDannDenseV2Kernel(p, mode).y);
      expect(y.arraySync()).toEqual(reference.arraySync());
      tf.dispose([y, reference]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose(Object.values(p));
    });

    it("a training loop through dannDenseV2 keeps the tensor count flat (the saved tensors are freed after each backward pass)", async () => {
      await tf.setBackend(blas.name);
      const p = dannInputs(6);
      const vars = DANN_NAMES.filter((k) => k !== "x").map((k) => tf.variable(p[k]!));
      const optimizer = tf.train.sgd(0.01);
      const step = () =>
        optimizer.minimize(() => {
          const [wEE, wIE, wEI, b, alpha, g] = vars as [tf.Variable<tf.Rank.R2>, tf.Variable<tf.Rank.R2>, tf.Variable<tf.Rank.R2>, tf.Variable<tf.Rank.R1>, tf.Variable<tf.Rank.R1>, tf.Variable<tf.Rank.R1>];
          return tf.sum(tf.square(dannDenseV2({ x: p.x, wEE, wIE, wEI, b, alpha, g }, mode))) as tf.Scalar;
        });
      step();
      const count = tf.memory().numTensors;
      for (let i = 0; i < 5; i++) step();
      expect(tf.memory().numTensors).toBe(count);
      tf.dispose([...vars, ...Object.values(p)]);
      optimizer.dispose();
    });

    it("on an engine without runKernelFunc it records every output, with the same numbers", async () => {
      const expected = await on(blas.name, dannGrads(true, true));
      const viaPlainKernel = () => {
        const p = dannInputs(3);
        const R = tf.randomNormal([B, ne], 0, 1, "float32", 20);
        const f = (...ts: tf.Tensor[]) => {
          const named = Object.fromEntries(DANN_NAMES.map((k, i) => [k, ts[i]])) as unknown as DannDenseV2Inputs;
          const inputs = { ...named, x: tf.add(named.x, 0) as tf.Tensor2D };
          runDannDenseV2Kernel(inputs, mode).saved.dispose(); // registers the gradient, as dannDenseV2 does
          const y = runKernelRecordingOneOutput(dannDenseV2GradConfig, ["y", "saved"], "y", inputs, { activation: "relu", divisive: true, eps: DANN_DENSE_V2_DEFAULT_EPS, inputGradient: true }, null);
          return tf.sum(tf.mul(y, R)) as tf.Scalar;
        };
        const { value, grads } = tf.valueAndGrads(f)(DANN_NAMES.map((k) => p[k]!));
        return [value, ...grads];
      };
      await tf.setBackend(blas.name);
      const profile = await tf.profile(() => tf.tidy(() => void viaPlainKernel()));
      expect(profile.kernels.some((k) => k.name === "")).toBe(false); // no custom-gradient entry: the plain kernel path
      expect(await on(blas.name, viaPlainKernel)).toEqual(expected);
    });
  });
}
