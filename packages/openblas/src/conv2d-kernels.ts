import { backend_util, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs-core";
import { applyBiasActivation, planBiasActivation } from "./conv-bias-activation.js";
import { dataFormatOf, nhwcGeometry, tryConvInfo, type ConvInfo } from "./conv-geometry.js";
import { float32Data, outputBuffer, type CpuBackendLike } from "./cpu-data.js";
import type { OpenBlasAddon } from "./load-addon.js";

// Regular 2-D convolution and its gradients on OpenBLAS sgemm (native/conv2d.c), replacing the
// tfjs CPU backend's JavaScript loops. With M = n·oh·ow output pixels, K = kh·kw·cin, W the
// kernel [kh, kw, cin, cout] read as [K, cout] and X̂ [M, K] the im2col matrix of x (the window
// each output pixel reads, zeros for the padding):
//
//   y = X̂ W        dx = col2im(dy Wᵀ)        dW = X̂ᵀ dy
//
// A 1 × 1 kernel with stride 1 (the pointwise half of a separable conv) is one sgemm on the NHWC
// buffers themselves (X̂ = x); other kernels build X̂ a block of rows at a time. Fast path:
// float32 NHWC data, dilation 1, any kernel size, stride and padding (SAME, VALID, explicit; the
// pads are tfjs's computeConv2DInfo's). Channels-first data, dilations, other dtypes and empty
// tensors run the plain CPU kernel. sgemm sums in another order than tfjs (float32 rounding differs).

interface ConvAttrs {
  strides: number | [number, number];
  pad: "valid" | "same" | number | backend_util.ExplicitPadding;
  dataFormat?: "NHWC" | "NCHW";
  dilations?: number | [number, number];
  dimRoundingMode?: "floor" | "round" | "ceil";
}

/** The geometry of a regular conv, or null outside the fast path. */
function convGeometry(inShape: number[], filterShape: number[], attrs: ConvAttrs, dilations: ConvAttrs["dilations"]): { info: ConvInfo; geometry: Int32Array } | null {
  if (dataFormatOf(attrs.dataFormat) !== "channelsLast" || inShape.length !== 4 || filterShape.length !== 4 || filterShape[2] !== inShape[3]) return null;
  const info = tryConvInfo(() =>
    backend_util.computeConv2DInfo(inShape as [number, number, number, number], filterShape as [number, number, number, number], attrs.strides, dilations ?? 1, attrs.pad, attrs.dimRoundingMode, false, "channelsLast"),
  );
  const geometry = info && nhwcGeometry(info);
  return info && geometry ? { info, geometry } : null;
}

type Args = { inputs: Record<string, TensorInfo | undefined>; attrs: ConvAttrs & Record<string, unknown>; backend: CpuBackendLike };
const size = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

/** Conv2D: y = X̂ W; `fallback` is the plain CPU kernel. */
export function openBlasConv2d(addon: OpenBlasAddon, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as Args;
    const x = inputs["x"]!;
    const filter = inputs["filter"]!;
    const xv = float32Data(backend, x);
    const wv = float32Data(backend, filter);
    const plan = xv && wv ? convGeometry(x.shape, filter.shape, attrs, attrs.dilations) : null;
    if (!plan) return fallback(args);
    const y = outputBuffer(backend, size(plan.info.outShape));
    addon.conv2dForward(xv!, wv!, y, plan.geometry);
    return backend.makeTensorInfo(plan.info.outShape.slice(), "float32", y);
  };
}

/** FusedConv2D: the conv, then a bias and linear / ReLU activation (other activations, PReLU weights: the plain kernel). */
export function openBlasFusedConv2d(addon: OpenBlasAddon, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as Args;
    const x = inputs["x"]!;
    const filter = inputs["filter"]!;
    const xv = float32Data(backend, x);
    const wv = float32Data(backend, filter);
    const plan = xv && wv ? convGeometry(x.shape, filter.shape, attrs, attrs.dilations) : null;
    const epilogue = plan ? planBiasActivation(backend, inputs["bias"], inputs["preluActivationWeights"], attrs["activation"], plan.info.outChannels) : null;
    if (!plan || !epilogue) return fallback(args);
    const y = outputBuffer(backend, size(plan.info.outShape));
    addon.conv2dForward(xv!, wv!, y, plan.geometry);
    applyBiasActivation(addon, y, epilogue, plan.info.outChannels);
    return backend.makeTensorInfo(plan.info.outShape.slice(), "float32", y);
  };
}

/** Conv2DBackpropInput: dL/dx = col2im(dy Wᵀ) (attribute `inputShape`). */
export function openBlasConv2dBackpropInput(addon: OpenBlasAddon, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as Args;
    const dy = inputs["dy"]!;
    const filter = inputs["filter"]!;
    const inputShape = attrs["inputShape"] as number[];
    const dyv = float32Data(backend, dy);
    const wv = float32Data(backend, filter);
    const plan = dyv && wv && Array.isArray(inputShape) ? convGeometry(inputShape, filter.shape, attrs, 1) : null;
    if (!plan || plan.info.outShape.some((d, i) => d !== dy.shape[i])) return fallback(args);
    const dx = outputBuffer(backend, size(plan.info.inShape));
    addon.conv2dBackpropInput(dyv!, wv!, dx, plan.geometry);
    return backend.makeTensorInfo(plan.info.inShape.slice(), "float32", dx);
  };
}

/** Conv2DBackpropFilter: dL/dW = X̂ᵀ dy (attribute `filterShape`). */
export function openBlasConv2dBackpropFilter(addon: OpenBlasAddon, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as Args;
    const x = inputs["x"]!;
    const dy = inputs["dy"]!;
    const filterShape = attrs["filterShape"] as number[];
    const xv = float32Data(backend, x);
    const dyv = float32Data(backend, dy);
    const plan = xv && dyv && Array.isArray(filterShape) ? convGeometry(x.shape, filterShape, attrs, 1) : null;
    if (!plan || plan.info.outShape.some((d, i) => d !== dy.shape[i])) return fallback(args);
    const dw = outputBuffer(backend, size(filterShape));
    addon.conv2dBackpropFilter(xv!, dyv!, dw, plan.geometry);
    return backend.makeTensorInfo(filterShape.slice(), "float32", dw);
  };
}
