import { backend_util, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs-core";
import { applyBiasActivation, planBiasActivation } from "./conv-bias-activation.js";
import { dataFormatOf, nhwcGeometry, tryConvInfo, type ConvInfo } from "./conv-geometry.js";
import { float32Data, outputBuffer, type CpuBackendLike } from "./cpu-data.js";
import type { OpenBlasAddon } from "./load-addon.js";

// Depthwise 2-D convolution (channel multiplier 1) and its gradients in C (native/depthwise_conv.c),
// replacing the tfjs CPU backend's JavaScript loops for the depthwise half of every separable conv:
//
//   y[b, oy, ox, c]  = Σ_{ky, kx} x[b, oy·sh − pt + ky, ox·sw − pl + kx, c] · w[ky, kx, c, 0]
//   dx[b, iy, ix, c] = Σ over the (oy, ox, ky, kx) with oy·sh − pt + ky = iy, ox·sw − pl + kx = ix of dy[b, oy, ox, c] · w[ky, kx, c, 0]
//   dw[ky, kx, c, 0] = Σ_{b, oy, ox} x[b, oy·sh − pt + ky, ox·sw − pl + kx, c] · dy[b, oy, ox, c]
//
// Fast path: float32 NHWC data, channel multiplier 1, dilation 1, any kernel size, stride and
// padding (SAME, VALID, explicit; the pads come from tfjs's computeConv2DInfo, so they are
// tfjs's). Anything else (multiplier > 1, dilations, another dtype, an empty tensor) runs the
// plain CPU kernel. Sums run in another order than tfjs's (float32 rounding differs).

interface DepthwiseAttrs {
  strides: number | [number, number];
  pad: "valid" | "same" | number | backend_util.ExplicitPadding;
  dilations?: number | [number, number];
  dimRoundingMode?: "floor" | "round" | "ceil";
  dataFormat?: string;
}

/** The geometry of a depthwise conv with channel multiplier 1, or null outside the fast path. */
function depthwiseGeometry(inShape: number[], filterShape: number[], attrs: DepthwiseAttrs): { info: ConvInfo; geometry: Int32Array } | null {
  if (dataFormatOf(attrs.dataFormat) !== "channelsLast" || inShape.length !== 4 || filterShape.length !== 4 || filterShape[3] !== 1 || filterShape[2] !== inShape[3]) return null;
  const info = tryConvInfo(() =>
    backend_util.computeConv2DInfo(inShape as [number, number, number, number], filterShape as [number, number, number, number], attrs.strides, attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode, true),
  );
  const geometry = info && nhwcGeometry(info);
  return info && geometry && info.outChannels === info.inChannels ? { info, geometry } : null;
}

type Args = { inputs: Record<string, TensorInfo | undefined>; attrs: DepthwiseAttrs & Record<string, unknown>; backend: CpuBackendLike };

/** DepthwiseConv2dNative: y = x ⊛ w (see the file header); `fallback` is the plain CPU kernel. */
export function openBlasDepthwiseConv2d(addon: OpenBlasAddon, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as Args;
    const x = inputs["x"]!;
    const filter = inputs["filter"]!;
    const xv = float32Data(backend, x);
    const wv = float32Data(backend, filter);
    const plan = xv && wv ? depthwiseGeometry(x.shape, filter.shape, attrs) : null;
    if (!plan) return fallback(args);
    const y = outputBuffer(backend, plan.info.outShape.reduce((p, d) => p * d, 1));
    addon.depthwiseConv2dForward(xv!, wv!, y, plan.geometry);
    return backend.makeTensorInfo(plan.info.outShape.slice(), "float32", y);
  };
}

/** FusedDepthwiseConv2D: the depthwise conv, then a bias and linear / ReLU activation (else the plain kernel). */
export function openBlasFusedDepthwiseConv2d(addon: OpenBlasAddon, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as Args;
    const x = inputs["x"]!;
    const filter = inputs["filter"]!;
    const xv = float32Data(backend, x);
    const wv = float32Data(backend, filter);
    const plan = xv && wv ? depthwiseGeometry(x.shape, filter.shape, attrs) : null;
    const epilogue = plan ? planBiasActivation(backend, inputs["bias"], inputs["preluActivationWeights"], attrs["activation"], plan.info.outChannels) : null;
    if (!plan || !epilogue) return fallback(args);
    const y = outputBuffer(backend, plan.info.outShape.reduce((p, d) => p * d, 1));
    addon.depthwiseConv2dForward(xv!, wv!, y, plan.geometry);
    applyBiasActivation(addon, y, epilogue, plan.info.outChannels);
    return backend.makeTensorInfo(plan.info.outShape.slice(), "float32", y);
  };
}

/** DepthwiseConv2dNativeBackpropInput: dL/dx from dy and the filter (attribute `inputShape`). */
export function openBlasDepthwiseConv2dBackpropInput(addon: OpenBlasAddon, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as Args;
    const dy = inputs["dy"]!;
    const filter = inputs["filter"]!;
    const inputShape = attrs["inputShape"] as number[];
    const dyv = float32Data(backend, dy);
    const wv = float32Data(backend, filter);
    const plan = dyv && wv && Array.isArray(inputShape) ? depthwiseGeometry(inputShape, filter.shape, attrs) : null;
    if (!plan || plan.info.outShape.some((d, i) => d !== dy.shape[i])) return fallback(args);
    const dx = outputBuffer(backend, plan.info.inShape.reduce((p, d) => p * d, 1));
    addon.depthwiseConv2dBackpropInput(dyv!, wv!, dx, plan.geometry);
    return backend.makeTensorInfo(plan.info.inShape.slice(), "float32", dx);
  };
}

/** DepthwiseConv2dNativeBackpropFilter: dL/dw from x and dy (attribute `filterShape`), summed in float64 over the images. */
export function openBlasDepthwiseConv2dBackpropFilter(addon: OpenBlasAddon, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as Args;
    const x = inputs["x"]!;
    const dy = inputs["dy"]!;
    const filterShape = attrs["filterShape"] as number[];
    const xv = float32Data(backend, x);
    const dyv = float32Data(backend, dy);
    const plan = xv && dyv && Array.isArray(filterShape) ? depthwiseGeometry(x.shape, filterShape, attrs) : null;
    if (!plan || plan.info.outShape.some((d, i) => d !== dy.shape[i])) return fallback(args);
    const dw = outputBuffer(backend, filterShape.reduce((p, d) => p * d, 1));
    addon.depthwiseConv2dBackpropFilter(xv!, dyv!, dw, plan.geometry);
    return backend.makeTensorInfo(filterShape.slice(), "float32", dw);
  };
}
