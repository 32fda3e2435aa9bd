import type { KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import { planMatMul, runMatMul } from "./batch-mat-mul-kernel.js";
import { float32Data, type CpuBackendLike } from "./cpu-data.js";
import { BINARY_MODE, FAST_BINARY_OPS, FAST_UNARY_OPS } from "./elementwise-kernels.js";
import type { OpenBlasAddon } from "./load-addon.js";

type Activation = "linear" | "relu" | "relu6" | "sigmoid" | "elu" | "leakyrelu" | "prelu";

/** How a bias adds to an output of shape outShape: along the last axis, element for element, or a scalar; null otherwise. */
function biasLayout(bias: TensorInfo, values: Float32Array, outShape: number[]): { mode: number; block: number } | null {
  const n = outShape[outShape.length - 1]!;
  const size = outShape.reduce((p, d) => p * d, 1);
  if (bias.shape.length > outShape.length) return null;
  if (values.length === n && bias.shape[bias.shape.length - 1] === n && bias.shape.slice(0, -1).every((d) => d === 1)) return { mode: BINARY_MODE.BRow, block: n };
  if (values.length === size && bias.shape.length === outShape.length && bias.shape.every((d, i) => d === outShape[i])) return { mode: BINARY_MODE.Same, block: 0 };
  if (values.length === 1) return { mode: BINARY_MODE.BScalar, block: 0 };
  return null;
}

/** Activations applied in place here; any other (PReLU, or one added to tfjs later) goes to the plain kernel. */
const IN_PLACE: ReadonlySet<string> = new Set(["linear", "relu", "relu6", "sigmoid", "elu", "leakyrelu"]);

/** Applies one of the {@link IN_PLACE} activations in place. */
function activateInPlace(addon: OpenBlasAddon, values: Float32Array, activation: Activation | undefined, leakyAlpha: number): void {
  switch (activation ?? "linear") {
    case "linear":
      return;
    case "relu":
    case "relu6":
    case "sigmoid": {
      // The unary kernels' own loops (same formulas as tfjs), element i read before it is written.
      const opcode = FAST_UNARY_OPS[activation === "relu" ? "Relu" : activation === "relu6" ? "Relu6" : "Sigmoid"]!;
      addon.unary(opcode, values, values, 0);
      return;
    }
    case "elu":
      for (let i = 0; i < values.length; i++) if (values[i]! < 0) values[i] = Math.exp(values[i]!) - 1;
      return;
    case "leakyrelu":
      for (let i = 0; i < values.length; i++) if (values[i]! < 0) values[i] = leakyAlpha * values[i]!;
      return;
  }
}

/**
 * A _FusedMatMul kernel (matMul + bias + activation, as tf.fused.matMul and tfjs-layers' Dense
 * use) for the tfjs CPU backend: OpenBLAS sgemm, then bias and activation in place. PReLU and
 * unusual bias shapes fall back to the plain kernel (decided before the product is computed).
 */
export function openBlasFusedMatMul(addon: OpenBlasAddon, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as {
      inputs: { a: TensorInfo; b: TensorInfo; bias?: TensorInfo };
      attrs: { transposeA?: boolean; transposeB?: boolean; activation?: Activation; leakyreluAlpha?: number };
      backend: CpuBackendLike;
    };
    if (!IN_PLACE.has(attrs.activation ?? "linear")) return fallback(args);
    const transposeA = attrs.transposeA === true;
    const transposeB = attrs.transposeB === true;
    const plan = planMatMul(backend, inputs.a, inputs.b, transposeA, transposeB);
    if (!plan) return fallback(args);
    let bias: { values: Float32Array; mode: number; block: number } | null = null;
    if (inputs.bias) {
      const values = float32Data(backend, inputs.bias);
      const layout = values && biasLayout(inputs.bias, values, plan.outShape);
      if (!values || !layout) return fallback(args);
      bias = { values, ...layout };
    }
    const out = runMatMul(addon, plan, transposeA, transposeB, backend);
    if (bias && out.length > 0) addon.binary(FAST_BINARY_OPS.Add!, bias.mode, out, bias.values, out, bias.block);
    activateInPlace(addon, out, attrs.activation, attrs.leakyreluAlpha ?? 0.2);
    return backend.makeTensorInfo(plan.outShape, "float32", out);
  };
}
