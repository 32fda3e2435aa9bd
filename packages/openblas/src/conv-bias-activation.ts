import type { TensorInfo } from "@tensorflow/tfjs-core";
import { float32Data, type CpuBackendLike } from "./cpu-data.js";
import { BINARY_MODE, FAST_BINARY_OPS, FAST_UNARY_OPS } from "./elementwise-kernels.js";
import type { OpenBlasAddon } from "./load-addon.js";

/** The bias add and activation a FusedConv2D / FusedDepthwiseConv2D call asks for after the convolution. */
export interface BiasActivation {
  /** The bias values (one per output channel, or a single value), or null for none. */
  bias: Float32Array | null;
  /** ReLU after the bias (else linear). */
  relu: boolean;
}

/**
 * What the fused kernels' epilogue must do, when the addon's loops cover it: no bias, or a float32
 * bias of one value per output channel ([C], [1, …, 1, C]) or a single value; activation linear or
 * ReLU, no PReLU weights. The plain kernel's arithmetic: y + b rounded to float32, then ReLU
 * (the backend's Add and Relu kernels).
 *
 * @param backend - the CPU-like backend
 * @param bias - the optional bias input
 * @param preluActivationWeights - the optional PReLU weights (any present means "not covered")
 * @param activation - the activation attribute
 * @param channels - output channels C
 * @returns the epilogue, or null when the call is outside the fast path
 */
export function planBiasActivation(
  backend: CpuBackendLike,
  bias: TensorInfo | undefined | null,
  preluActivationWeights: TensorInfo | undefined | null,
  activation: unknown,
  channels: number,
): BiasActivation | null {
  if (preluActivationWeights != null) return null;
  if (activation !== undefined && activation !== null && activation !== "linear" && activation !== "relu") return null;
  let values: Float32Array | null = null;
  if (bias != null) {
    values = float32Data(backend, bias);
    if (values === null || bias.shape.length > 4) return null;
    const perChannel = values.length === channels && bias.shape.slice(0, -1).every((d) => d === 1) && bias.shape.at(-1) === channels;
    if (!perChannel && values.length !== 1) return null;
  }
  return { bias: values, relu: activation === "relu" };
}

/**
 * Applies an epilogue in place to a convolution's NHWC output (the addon's Add and Relu loops).
 *
 * @param addon - the addon
 * @param y - the output, [n·oh·ow·C] values
 * @param epilogue - from {@link planBiasActivation}
 * @param channels - output channels C
 */
export function applyBiasActivation(addon: OpenBlasAddon, y: Float32Array, epilogue: BiasActivation, channels: number): void {
  if (y.length === 0) return;
  if (epilogue.bias !== null) {
    const scalar = epilogue.bias.length === 1;
    addon.binary(FAST_BINARY_OPS["Add"]!, scalar ? BINARY_MODE.BScalar : BINARY_MODE.BRow, y, epilogue.bias, y, scalar ? 0 : channels);
  }
  if (epilogue.relu) addon.unary(FAST_UNARY_OPS["Relu"]!, y, y, 0);
}
