import * as tf from "@tensorflow/tfjs";
import { buildPaperNetwork, dannDense, dannLinearForward, DannDense, DannLinear } from "@dale-nn/ei-layers";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { maxRelativeDifference, on, openBlasForTests } from "./test-support/backends.js";
import {
  DANN_DENSE_GRAD_KERNEL,
  DANN_DENSE_KERNEL,
  DANN_DENSE_V2_GRAD_KERNEL,
  DANN_DENSE_V2_KERNEL,
  dannDenseV2,
  dannDenseV2Fallback,
  isDannDenseV2Available,
  runDannDenseV2Kernel,
  softmaxCrossEntropy,
  type DannDenseV2Inputs,
  type DenseActivation,
} from "@dale-nn/core";

const blas = openBlasForTests();

type Mode = { divisive: boolean; activation: DenseActivation };
const MODES: readonly Mode[] = [
  { divisive: true, activation: "relu" },
  { divisive: true, activation: "linear" },
  { divisive: false, activation: "relu" },
  { divisive: false, activation: "linear" },
];
const label = (m: Mode) => `${m.divisive ? "divisive" : "subtractive"} ${m.activation}`;

/** [B, d, ne, ni]: batch 1 and > 1, one unit of each kind, odd sizes, a d past sgemm's k-blocking, the paper's first layer shape at small batch. */
const SHAPES: readonly [number, number, number, number][] = [[1, 1, 1, 1], [1, 7, 3, 1], [5, 9, 7, 3], [33, 17, 11, 4], [3, 300, 10, 1], [8, 784, 50, 5]];

/** Seeded inputs of one layer in a Dale regime (x, W ≥ 0), with a bias that puts z on both sides of 0. */
function layerInputs(B: number, d: number, ne: number, ni: number, divisive: boolean, seed: number): DannDenseV2Inputs {
  return {
    x: tf.randomUniform([B, d], 0, 1, "float32", seed + 1) as tf.Tensor2D,
    wEE: tf.randomUniform([ne, d], 0, 2 / d, "float32", seed + 2) as tf.Tensor2D,
    wIE: tf.randomUniform([ni, d], 0, 2 / d, "float32", seed + 3) as tf.Tensor2D,
    wEI: tf.randomUniform([ne, ni], 0.1, 1 / ni, "float32", seed + 4) as tf.Tensor2D,
    b: tf.randomNormal([ne], 0, 0.3, "float32", seed + 5) as tf.Tensor1D,
    ...(divisive ? { alpha: tf.randomNormal([ni], 0, 0.3, "float32", seed + 6) as tf.Tensor1D, g: tf.randomUniform([ne], 0.5, 1.5, "float32", seed + 7) as tf.Tensor1D } : {}),
  };
}

const NAMES = ["x", "wEE", "wIE", "wEI", "b", "alpha", "g"] as const;

/**
 * y, the packed tensor, and the loss Σ (y − t)² with its gradients with respect to x and every
 * parameter, through the kernel (`kernel`) or the fallback's separate ops. x enters through a
 * recorded op (x + 0, as an earlier layer's output would), so the kernel forms dL/dx in its one call.
 */
const valuesAndGrads = (B: number, d: number, ne: number, ni: number, mode: Mode, kernel: boolean, seed = 0) => () => {
  const inputs = layerInputs(B, d, ne, ni, mode.divisive, seed);
  const target = tf.randomNormal([B, ne], 0, 1, "float32", seed + 8);
  const present = NAMES.filter((n) => inputs[n] !== undefined);
  const layer = (ts: tf.Tensor[]) => {
    const named = Object.fromEntries(present.map((n, i) => [n, ts[i]])) as unknown as DannDenseV2Inputs;
    const args = { ...named, x: tf.add(named.x, 0) as tf.Tensor2D };
    return kernel ? runDannDenseV2Kernel(args, mode) : dannDenseV2Fallback(args, mode, true);
  };
  const { y, saved } = layer(present.map((n) => inputs[n]!));
  const { value, grads } = tf.valueAndGrads((...ts: tf.Tensor[]) => tf.sum(tf.square(tf.sub(layer(ts).y, target))) as tf.Scalar)(present.map((n) => inputs[n]!));
  return [y, saved!, value, ...grads];
};

if (!blas.registered) {
  describe(`${DANN_DENSE_V2_KERNEL} without the addon`, () => {
    it("the OpenBLAS backend is reported unavailable, so the libraries use the fallback", async () => {
      expect(blas.notice).toMatch(/^OpenBLAS backend unavailable: /);
      await tf.setBackend("cpu");
      expect(isDannDenseV2Available()).toBe(false);
    });
  });
} else {
  describe(`fused DANN dense layer ${DANN_DENSE_V2_KERNEL} on the OpenBLAS backend`, () => {
    useBackendWithLeakCheck(blas.name);

    for (const mode of MODES) {
      it(`runDannDenseV2Kernel (${label(mode)}): y, the packed tensor, the loss and every gradient are the fallback's on tfjs "cpu" to float32 tolerance, for every shape, twice (pooled buffers poisoned with NaN)`, async () => {
        for (const [B, d, ne, ni] of SHAPES) {
          const what = `${label(mode)} B ${B}, d ${d}, ne ${ne}, ni ${ni}`;
          const reference = await on<unknown[]>("cpu", valuesAndGrads(B, d, ne, ni, mode, false));
          for (let round = 0; round < 2; round++) {
            const kernel = await on<unknown[]>(blas.name, valuesAndGrads(B, d, ne, ni, mode, true));
            expect(kernel.length, what).toBe(reference.length);
            expect(maxRelativeDifference(kernel, reference), `${what}, round ${round}`).toBeLessThan(2e-5);
          }
        }
      });
    }

    it("one forward and one gradient call per layer: dL/dx in the same call when an earlier op made x, not formed for a network's input, and a second call only when an input itself is differentiated", async () => {
      await tf.setBackend(blas.name);
      const gradCalls = async (body: () => void) => {
        const profile = await tf.profile(() => tf.tidy(body));
        return profile.kernels.filter((k) => k.name === DANN_DENSE_V2_GRAD_KERNEL).map((k) => k.outputShapes.length);
      };
      for (const divisive of [true, false]) {
        const inputs = () => layerInputs(4, 6, 5, 2, divisive, 3);
        const params = (p: DannDenseV2Inputs, ts: tf.Tensor[]) => ({ ...p, wEE: ts[0] as tf.Tensor2D, wIE: ts[1] as tf.Tensor2D });
        const weightOutputs = divisive ? 6 : 4;
        // x made by a recorded op: one call with dx (its outputs: the weight gradients and dx).
        expect(await gradCalls(() => {
          const p = inputs();
          tf.grads((x0: tf.Tensor, wEE: tf.Tensor) => tf.sum(runDannDenseV2Kernel({ ...p, wEE: wEE as tf.Tensor2D, x: tf.relu(x0) as tf.Tensor2D }, { activation: "relu", divisive }).y))([p.x, p.wEE]);
        })).toEqual([weightOutputs + 1]);
        // A network's input (no gradient wanted): one call, no dx.
        expect(await gradCalls(() => {
          const p = inputs();
          tf.grads((wEE: tf.Tensor, wIE: tf.Tensor) => tf.sum(runDannDenseV2Kernel(params(p, [wEE, wIE]), { activation: "relu", divisive }).y))([p.wEE, p.wIE]);
        })).toEqual([weightOutputs]);
        // The input itself differentiated (a saliency map): the tape cannot tell, so dx comes from a second call.
        expect(await gradCalls(() => {
          const p = inputs();
          tf.grads((x: tf.Tensor) => tf.sum(runDannDenseV2Kernel({ ...p, x: x as tf.Tensor2D }, { activation: "linear", divisive }).y))([p.x]);
        })).toEqual([weightOutputs, weightOutputs + 1]);
        // Or say so: inputGradient: true.
        expect(await gradCalls(() => {
          const p = inputs();
          tf.grads((x: tf.Tensor) => tf.sum(runDannDenseV2Kernel({ ...p, x: x as tf.Tensor2D }, { activation: "linear", divisive, inputGradient: true }).y))([p.x]);
        })).toEqual([weightOutputs + 1]);
      }
    });

    it("relu′ follows tfjs's step convention: 0 where z is exactly 0 and below, 1 above; NaN stays NaN (as the fallback on cpu)", async () => {
      // W_IE = 0, so z = x W_EEᵀ + b exactly: x = [0, 1] gives z = [0, 1, -1]; a NaN input makes every z NaN.
      const grads = (kernel: boolean, x: number[][]) => () => {
        const p = { wEE: tf.tensor2d([[1, 0], [1, 1], [0, 1]]), wIE: tf.zeros([1, 2]), wEI: tf.ones([3, 1]), b: tf.tensor1d([0, 0, -2]) } as const;
        const f = (b: tf.Tensor, xv: tf.Tensor) => {
          const inputs = { ...p, x: tf.add(xv, 0), b } as unknown as DannDenseV2Inputs;
          const mode = { activation: "relu", divisive: false } as const;
          return tf.sum(kernel ? runDannDenseV2Kernel(inputs, mode).y : dannDenseV2Fallback(inputs, mode).y);
        };
        return tf.grads(f)([p.b, tf.tensor2d(x)]);
      };
      const finite = await on<number[][]>(blas.name, grads(true, [[0, 1]]));
      expect(finite).toEqual(await on<unknown[]>("cpu", grads(false, [[0, 1]])));
      expect(finite[0]).toEqual([0, 1, 0]); // db
      const nan = await on<number[][]>(blas.name, grads(true, [[NaN, 1]]));
      expect(nan).toEqual(await on<unknown[]>("cpu", grads(false, [[NaN, 1]])));
      expect(nan[0]).toEqual([NaN, NaN, NaN]);
    });

    it("an empty batch gives y [0, ne], the packed tensor's tail alone, and zero weight gradients", async () => {
      await tf.setBackend(blas.name);
      for (const divisive of [true, false]) {
        const [y, saved, grads] = tf.tidy(() => {
          const p = layerInputs(1, 4, 3, 2, divisive, 9);
          const x = tf.zeros([0, 4]) as tf.Tensor2D;
          const out = runDannDenseV2Kernel({ ...p, x }, { activation: "relu", divisive });
          const gs = tf.grads((wEE: tf.Tensor, b: tf.Tensor) => tf.sum(runDannDenseV2Kernel({ ...p, x, wEE: wEE as tf.Tensor2D, b: b as tf.Tensor1D }, { activation: "relu", divisive }).y))([p.wEE, p.b]);
          const tail = divisive ? [...p.g!.dataSync(), ...Array.from(p.alpha!.dataSync(), (a) => Math.fround(Math.exp(a)))] : [];
          return [out.y.shape, Array.from(out.saved.dataSync()).map((v, i) => Math.abs(v - tail[i]!) < 1e-6), gs.flatMap((t) => Array.from(t.dataSync()))];
        });
        expect(y).toEqual([0, 3]);
        expect(saved).toEqual(divisive ? [true, true, true, true, true] : []);
        expect(grads).toEqual(new Array(12 + 3).fill(0));
      }
    });

    it("rejects mismatched shapes, non-float32 input, an unknown activation and a missing α or g, naming the value and the expectation", async () => {
      await tf.setBackend(blas.name);
      const p = () => layerInputs(2, 3, 4, 1, true, 0);
      expect(() => tf.tidy(() => runDannDenseV2Kernel({ ...p(), wIE: tf.zeros([1, 5]) as tf.Tensor2D }, { activation: "relu", divisive: true }))).toThrow(
        new RegExp(`^${DANN_DENSE_V2_KERNEL}: expected x \\[B, d\\], wEE \\[ne, d\\], wIE \\[ni, d\\], wEI \\[ne, ni\\] with d, ne, ni >= 1; got x \\[2,3\\], wEE \\[4,3\\], wIE \\[1,5\\], wEI \\[4,1\\]$`),
      );
      expect(() => tf.tidy(() => runDannDenseV2Kernel({ ...p(), g: tf.ones([3]) as tf.Tensor1D }, { activation: "relu", divisive: true }))).toThrow(`${DANN_DENSE_V2_KERNEL}: g must be [4]; got [3]`);
      expect(() => tf.tidy(() => runDannDenseV2Kernel({ ...p(), x: tf.zeros([2, 3], "int32") as tf.Tensor2D }, { activation: "linear", divisive: true }))).toThrow(`${DANN_DENSE_V2_KERNEL}: x must be float32; got int32`);
      expect(() => tf.tidy(() => runDannDenseV2Kernel(p(), { activation: "tanh" as DenseActivation, divisive: true }))).toThrow(
        `${DANN_DENSE_V2_KERNEL}: unknown activation "tanh"; expected one of linear, relu`,
      );
      expect(() => tf.tidy(() => runDannDenseV2Kernel({ ...p(), g: undefined }, { activation: "relu", divisive: true }))).toThrow(
        `${DANN_DENSE_V2_KERNEL}: divisive inhibition needs alpha and g; got alpha and no g`,
      );
      // The backend checks too, for callers that bypass runDannDenseV2Kernel.
      expect(() => tf.tidy(() => tf.engine().runKernel(DANN_DENSE_V2_KERNEL, { ...p() } as never, { activation: "gelu", divisive: true, eps: 0, inputGradient: false }))).toThrow(
        `${DANN_DENSE_V2_KERNEL}: unknown activation "gelu"; expected one of linear, relu`,
      );
      expect(() => tf.tidy(() => tf.engine().runKernel(DANN_DENSE_V2_KERNEL, { ...p(), g: undefined } as never, { activation: "relu", divisive: true, eps: 0, inputGradient: false }))).toThrow(
        `${DANN_DENSE_V2_KERNEL}: g [4] is required here`,
      );
    });

    it("DannDense (ReLU and linear) and DannLinear layers run one v2 kernel forward and one backward, with no separate Relu, Step, BatchMatMul or version 1 kernel", async () => {
      await tf.setBackend(blas.name);
      for (const [layer, activation] of [
        [new DannDense({ units: 6, inhibitoryUnits: 2, seed: 1, activation: "relu" }), "relu"],
        [new DannDense({ units: 6, inhibitoryUnits: 2, seed: 2, activation: "linear" }), "linear"],
        [new DannLinear({ units: 6, inhibitoryUnits: 2, seed: 3, activation: "relu" }), "relu"],
        [new DannLinear({ units: 6, inhibitoryUnits: 1, seed: 4 }), "linear"],
      ] as const) {
        const x = tf.randomUniform([3, 5], 0, 1, "float32", 5);
        tf.tidy(() => void layer.apply(x)); // build
        const profile = await tf.profile(() =>
          tf.tidy(() => {
            tf.variableGrads(() => tf.sum(layer.apply(tf.relu(x)) as tf.Tensor) as tf.Scalar).value.dispose();
          }),
        );
        const names = profile.kernels.map((k) => k.name);
        const what = `${layer.getClassName()} ${activation}`;
        expect(names.filter((n) => n === DANN_DENSE_V2_KERNEL), what).toHaveLength(1);
        expect(names.filter((n) => n === DANN_DENSE_V2_GRAD_KERNEL), what).toHaveLength(1);
        for (const absent of ["Step", "BatchMatMul", DANN_DENSE_KERNEL, DANN_DENSE_GRAD_KERNEL]) expect(names, `${what}: ${absent}`).not.toContain(absent);
        expect(names.filter((n) => n === "Relu"), what).toHaveLength(1); // the x = relu(input) above
        layer.dispose();
        x.dispose();
      }
    });

    it("dannDense and dannLinearForward on the kernel give the separate ops' numbers on the plain CPU backend (values and gradients)", async () => {
      const run = (linear: boolean, fused: boolean) => () => {
        const p = layerInputs(6, 8, 5, 2, !linear, 11);
        const f = (x: tf.Tensor, wEE: tf.Tensor, wIE: tf.Tensor, wEI: tf.Tensor) => {
          const xi = tf.add(x, 0) as tf.Tensor2D;
          const y = linear
            ? dannLinearForward(xi, { wEE: wEE as tf.Tensor2D, wIE: wIE as tf.Tensor2D, wEI: wEI as tf.Tensor2D, bias: p.b }, { activation: "relu", fused })
            : dannDense(xi, { wEE: wEE as tf.Tensor2D, wIE: wIE as tf.Tensor2D, wEI: wEI as tf.Tensor2D, alpha: p.alpha!, g: p.g!, beta: p.b }, { activation: "relu", fused });
          return tf.sum(tf.square(y)) as tf.Scalar;
        };
        const { value, grads } = tf.valueAndGrads(f)([p.x, p.wEE, p.wIE, p.wEI]);
        return [value, ...grads];
      };
      for (const linear of [false, true]) {
        expect(maxRelativeDifference(await on(blas.name, run(linear, true)), await on("cpu", run(linear, false))), linear ? "dannLinearForward" : "dannDense").toBeLessThan(2e-5);
      }
    });

    it("dannDenseV2 (core's kernel-or-fallback wrapper) runs the kernel here, hands back y alone and still differentiates (the packed tensor it drops is kept for the gradient)", async () => {
      await tf.setBackend(blas.name);
      const mode = { activation: "relu", divisive: true } as const;
      const run = (wrapper: boolean) => () => {
        const p = layerInputs(5, 6, 4, 2, true, 13);
        const f = (wEE: tf.Tensor, g: tf.Tensor) => {
          const inputs = { ...p, x: tf.add(p.x, 0) as tf.Tensor2D, wEE: wEE as tf.Tensor2D, g: g as tf.Tensor1D };
          return tf.sum(tf.square(wrapper ? dannDenseV2(inputs, mode) : runDannDenseV2Kernel(inputs, mode).y)) as tf.Scalar;
        };
        const { value, grads } = tf.valueAndGrads(f)([p.wEE, p.g!]);
        return [value, ...grads];
      };
      const profile = await tf.profile(() => tf.tidy(() => void run(true)()));
      expect(profile.kernels.filter((k) => k.name === DANN_DENSE_V2_KERNEL)).toHaveLength(1);
      expect(await on(blas.name, run(true))).toEqual(await on(blas.name, run(false)));
    });

    it("a DANN MLP training step (the perf workload's shape at batch 4) runs one v2 kernel per layer each way, and leaves the tensor count flat", async () => {
      await tf.setBackend(blas.name);
      const model = buildPaperNetwork({ kind: "dann", seed: 0, inputs: 20, hidden: [16, 16], inhibitory: 3 });
      const optimizer = tf.train.sgd(0.01);
      const x = tf.randomUniform([4, 20], 0, 1, "float32", 1);
      const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([1, 3, 0, 2], "int32"), 10));
      const step = () => tf.tidy(() => void optimizer.minimize(() => softmaxCrossEntropy(labels, model.apply(x, { training: true }) as tf.Tensor))?.dispose());
      step();
      const count = tf.memory().numTensors;
      const profile = await tf.profile(step);
      for (let i = 0; i < 3; i++) step();
      expect(tf.memory().numTensors).toBe(count);
      const names = profile.kernels.map((k) => k.name);
      expect(names.filter((n) => n === DANN_DENSE_V2_KERNEL)).toHaveLength(3);
      expect(names.filter((n) => n === DANN_DENSE_V2_GRAD_KERNEL)).toHaveLength(3);
      // The first layer's gradient call forms no dL/dx (its outputs: 6 weight gradients); the others do.
      expect(profile.kernels.filter((k) => k.name === DANN_DENSE_V2_GRAD_KERNEL).map((k) => k.outputShapes.length)).toEqual([7, 7, 6]);
      for (const absent of ["Relu", "Step", "BatchMatMul"]) expect(names, absent).not.toContain(absent);
      optimizer.dispose();
      model.dispose();
      tf.dispose([x, labels]);
    });
  });
}
