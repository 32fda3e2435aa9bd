import type { KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import { planMatMul, runMatMul, type CpuBackendLike } from "./batch-mat-mul-kernel.js";
import type { OpenBlasAddon } from "./load-addon.js";

type Activation = "linear" | "relu" | "relu6" | "sigmoid" | "elu" | "leakyrelu" | "prelu";

/** Applies an activation in place; false for activations left to the plain kernel (prelu). */
function activateInPlace(values: Float32Array, activation: Activation | undefined, leakyAlpha: number): boolean {
  switch (activation ?? "linear") {
    case "linear":
      return true;
    case "relu":
      for (let i = 0; i < values.length; i++) if (values[i]! < 0) values[i] = 0;
      return true;
    case "relu6":
      for (let i = 0; i < values.length; i++) {
        const v = values[i]!;
        if (!Number.isNaN(v)) values[i] = v < 0 ? 0 : v > 6 ? 6 : v;
      }
      return true;
    case "sigmoid":
      for (let i = 0; i < values.length; i++) values[i] = 1 / (1 + Math.exp(-values[i]!));
      return true;
    case "elu":
      for (let i = 0; i < values.length; i++) if (values[i]! < 0) values[i] = Math.exp(values[i]!) - 1;
      return true;
    case "leakyrelu":
      for (let i = 0; i < values.length; i++) if (values[i]! < 0) values[i] = leakyAlpha * values[i]!;
      return true;
    default:
      return false;
  }
}

/** Adds a bias broadcast along the last axis ([n] or [..., 1, n]) or of the full output shape. */
function addBiasInPlace(backend: CpuBackendLike, out: Float32Array, outShape: number[], bias: TensorInfo): boolean {
  if (bias.dtype !== "float32") return false;
  const values = backend.data.get(bias.dataId)?.values;
  if (!(values instanceof Float32Array)) return false;
  const n = outShape[outShape.length - 1]!;
  const leading = bias.shape.slice(0, -1);
  if (values.length === n && bias.shape[bias.shape.length - 1] === n && leading.every((d) => d === 1) && bias.shape.length <= outShape.length) {
    for (let row = 0; row < out.length; row += n) for (let j = 0; j < n; j++) out[row + j]! += values[j]!;
    return true;
  }
  if (values.length === out.length && bias.shape.length === outShape.length && bias.shape.every((d, i) => d === outShape[i])) {
    for (let i = 0; i < out.length; i++) out[i]! += values[i]!;
    return true;
  }
  if (values.length === 1 && bias.shape.length <= outShape.length) {
    const v = values[0]!;
    for (let i = 0; i < out.length; i++) out[i]! += v;
    return true;
  }
  return false;
}

/**
 * A _FusedMatMul kernel (matMul + bias + activation, as tf.fused.matMul and tfjs-layers' Dense
 * use) for the tfjs CPU backend: OpenBLAS sgemm, then bias and activation in place. PReLU and
 * unusual bias shapes fall back to the plain kernel.
 */
export function openBlasFusedMatMul(addon: OpenBlasAddon, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as {
      inputs: { a: TensorInfo; b: TensorInfo; bias?: TensorInfo };
      attrs: { transposeA?: boolean; transposeB?: boolean; activation?: Activation; leakyreluAlpha?: number };
      backend: CpuBackendLike;
    };
    if (attrs.activation === "prelu") return fallback(args);
    const transposeA = attrs.transposeA === true;
    const transposeB = attrs.transposeB === true;
    const plan = planMatMul(backend, inputs.a, inputs.b, transposeA, transposeB);
    if (!plan) return fallback(args);
    if (inputs.bias) {
      const biasValues = backend.data.get(inputs.bias.dataId)?.values;
      // Check the bias before spending the product on a case we cannot finish.
      if (!(biasValues instanceof Float32Array)) return fallback(args);
    }
    const out = runMatMul(addon, plan, transposeA, transposeB);
    if (inputs.bias && !addBiasInPlace(backend, out, plan.outShape, inputs.bias)) return fallback(args);
    if (!activateInPlace(out, attrs.activation, attrs.leakyreluAlpha ?? 0.2)) return fallback(args);
    return backend.makeTensorInfo(plan.outShape, "float32", out);
  };
}
