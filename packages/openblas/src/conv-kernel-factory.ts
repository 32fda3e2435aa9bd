import { backend_util, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs-core";
import { applyBiasActivation, planBiasActivation } from "./conv-bias-activation.js";
import { dataFormatOf, nhwcGeometry, tryConvInfo, type ConvInfo } from "./conv-geometry.js";
import { float32Data, outputBuffer, type CpuBackendLike } from "./cpu-data.js";
import type { OpenBlasAddon } from "./load-addon.js";

/** The attributes tfjs's (fused) Conv2D and DepthwiseConv2dNative kernels and their gradient kernels share. */
export interface ConvAttrs {
  strides: number | [number, number];
  pad: "valid" | "same" | number | backend_util.ExplicitPadding;
  dataFormat?: string;
  dilations?: number | [number, number];
  dimRoundingMode?: "floor" | "round" | "ceil";
}

/** A native convolution loop: two float32 inputs, the output, the window geometry (see conv-geometry.ts). */
type ConvLoop = (a: Float32Array, b: Float32Array, out: Float32Array, geometry: Int32Array) => void;
/** The addon's methods of that shape. */
type ConvLoopName = { [K in keyof OpenBlasAddon]: OpenBlasAddon[K] extends ConvLoop ? K : never }[keyof OpenBlasAddon];

/** What distinguishes one NHWC convolution family (regular, depthwise) on the OpenBLAS backend. */
export interface ConvKernelFamily {
  /**
   * Depthwise with channel multiplier 1 (filter [kh, kw, C, 1], output C channels) rather than
   * regular (filter [kh, kw, cin, cout]); passed to tfjs's computeConv2DInfo.
   */
  depthwise: boolean;
  /**
   * The dilations a gradient kernel's window is computed with: tfjs's Conv2DBackpropInput /
   * Conv2DBackpropFilter have no dilations attribute and use 1, the depthwise ones read theirs.
   */
  gradientDilations: (attrs: ConvAttrs) => ConvAttrs["dilations"];
  /**
   * The addon's loops: forward (x, w → y), backpropInput (dy, w → dx), backpropFilter (x, dy → dw),
   * each with the geometry last.
   */
  loops: { forward: ConvLoopName; backpropInput: ConvLoopName; backpropFilter: ConvLoopName };
}

/** Wraps a plain CPU kernel (`fallback`) into a kernel with a native fast path. */
export type ConvKernelFactory = (addon: OpenBlasAddon, fallback: KernelFunc) => KernelFunc;

/** The four kernels of a family: forward, fused forward (bias, linear / ReLU), and the two gradients. */
export interface ConvKernelFactories {
  forward: ConvKernelFactory;
  fused: ConvKernelFactory;
  backpropInput: ConvKernelFactory;
  backpropFilter: ConvKernelFactory;
}

interface ConvPlan {
  info: ConvInfo;
  geometry: Int32Array;
}

type Args = { inputs: Record<string, TensorInfo | undefined>; attrs: ConvAttrs & Record<string, unknown>; backend: CpuBackendLike };

const size = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

/**
 * The window of a family's conv of an NHWC input [n, h, w, cin] with a filter [kh, kw, cin, cout]
 * (depthwise: [kh, kw, C, 1]), or null outside the native fast path: channels-first data, other
 * ranks, mismatched channels, a dilation other than 1, bad attributes, an empty dimension.
 */
function convPlan(family: ConvKernelFamily, inShape: number[], filterShape: number[], attrs: ConvAttrs, dilations: ConvAttrs["dilations"]): ConvPlan | null {
  const { depthwise } = family;
  if (dataFormatOf(attrs.dataFormat) !== "channelsLast" || inShape.length !== 4 || filterShape.length !== 4 || filterShape[2] !== inShape[3] || (depthwise && filterShape[3] !== 1)) return null;
  const info = tryConvInfo(() =>
    backend_util.computeConv2DInfo(inShape as [number, number, number, number], filterShape as [number, number, number, number], attrs.strides, dilations ?? 1, attrs.pad, attrs.dimRoundingMode, depthwise, "channelsLast"),
  );
  const geometry = info && nhwcGeometry(info);
  return info && geometry && (!depthwise || info.outChannels === info.inChannels) ? { info, geometry } : null;
}

/**
 * The OpenBLAS kernels of one NHWC convolution family, written once for the regular and the
 * depthwise conv: each reads its float32 inputs, plans the window with tfjs's computeConv2DInfo
 * (so SAME / VALID / explicit pads, strides and output sizes are tfjs's), runs the family's
 * native loop into a pooled output, and runs `fallback` (the plain CPU kernel) for anything
 * outside the fast path (another dtype, channels-first data, dilations, a gradient whose dy does
 * not have the planned output shape, PReLU or other activations in the fused kernel).
 *
 * @param family - the family's filter layout, gradient dilations and addon loops
 * @returns the factories of its forward, fused forward, input-gradient and filter-gradient kernels
 * @example
 * const conv2d = convKernelFactories({ depthwise: false, gradientDilations: () => 1, loops: { forward: "conv2dForward", backpropInput: "conv2dBackpropInput", backpropFilter: "conv2dBackpropFilter" } });
 * registerKernel({ kernelName: "Conv2D", backendName: "openblas", kernelFunc: conv2d.forward(addon, cpuConv2D) });
 */
export function convKernelFactories(family: ConvKernelFamily): ConvKernelFactories {
  const { loops } = family;
  /** x and the filter's data with the forward window, or null. */
  const forwardPlan = ({ inputs, attrs, backend }: Args) => {
    const x = inputs["x"]!;
    const filter = inputs["filter"]!;
    const xv = float32Data(backend, x);
    const wv = float32Data(backend, filter);
    const plan = xv && wv ? convPlan(family, x.shape, filter.shape, attrs, attrs.dilations) : null;
    return plan ? { xv: xv!, wv: wv!, plan } : null;
  };
  /** The forward conv into a new pooled output. */
  const convolve = (addon: OpenBlasAddon, backend: CpuBackendLike, p: NonNullable<ReturnType<typeof forwardPlan>>): Float32Array => {
    const y = outputBuffer(backend, size(p.plan.info.outShape));
    addon[loops.forward](p.xv, p.wv, y, p.plan.geometry);
    return y;
  };
  /**
   * A gradient kernel: inputs `a`, `b` (dy and the filter, or x and dy) into an output of the
   * shape attribute's shape (`inputShape`: dx, `filterShape`: dw), dy checked against the planned
   * output shape.
   */
  const gradient = (a: "dy" | "x", b: "filter" | "dy", shapeAttr: "inputShape" | "filterShape", loop: ConvLoopName): ConvKernelFactory => (addon, fallback) => (args) => {
    const { inputs, attrs, backend } = args as unknown as Args;
    const [at, bt, dy] = [inputs[a]!, inputs[b]!, inputs["dy"]!];
    const shape = attrs[shapeAttr] as number[];
    const av = float32Data(backend, at);
    const bv = float32Data(backend, bt);
    const [inShape, filterShape] = shapeAttr === "inputShape" ? [shape, bt.shape] : [at.shape, shape];
    const plan = av && bv && Array.isArray(shape) ? convPlan(family, inShape, filterShape, attrs, family.gradientDilations(attrs)) : null;
    if (!plan || plan.info.outShape.some((d, i) => d !== dy.shape[i])) return fallback(args);
    const out = outputBuffer(backend, size(shape));
    addon[loop](av!, bv!, out, plan.geometry);
    return backend.makeTensorInfo(shape.slice(), "float32", out);
  };
  return {
    forward: (addon, fallback) => (args) => {
      const call = args as unknown as Args;
      const p = forwardPlan(call);
      if (!p) return fallback(args);
      return call.backend.makeTensorInfo(p.plan.info.outShape.slice(), "float32", convolve(addon, call.backend, p));
    },
    fused: (addon, fallback) => (args) => {
      const call = args as unknown as Args;
      const p = forwardPlan(call);
      const channels = p?.plan.info.outChannels ?? 0;
      const epilogue = p ? planBiasActivation(call.backend, call.inputs["bias"], call.inputs["preluActivationWeights"], call.attrs["activation"], channels) : null;
      if (!p || !epilogue) return fallback(args);
      const y = convolve(addon, call.backend, p);
      applyBiasActivation(addon, y, epilogue, channels);
      return call.backend.makeTensorInfo(p.plan.info.outShape.slice(), "float32", y);
    },
    backpropInput: gradient("dy", "filter", "inputShape", loops.backpropInput),
    backpropFilter: gradient("x", "dy", "filterShape", loops.backpropFilter),
  };
}
