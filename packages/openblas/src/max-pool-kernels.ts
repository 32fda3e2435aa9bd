import { backend_util, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs-core";
import { nhwcGeometry, tryConvInfo, type ConvInfo } from "./conv-geometry.js";
import { float32Data, outputBuffer, type CpuBackendLike } from "./cpu-data.js";
import type { OpenBlasAddon } from "./load-addon.js";

// Max-pooling of NHWC tensors and its gradient in C (native/max_pool.c):
//
//   y[b, oy, ox, c]  = max_{ky, kx inside x} x[b, oy·sh − pt + ky, ox·sw − pl + kx, c]
//   dx[b, iy, ix, c] = Σ over the windows whose first maximum is x[b, iy, ix, c] of dy[b, oy, ox, c] (in float64, rounded once)
//
// with tfjs's CPU rules to the bit: the window is scanned row by row from −∞, a tap wins only
// when strictly greater (NaN never wins; of equal maxima, after a ReLU often 0, the first takes
// the gradient), and windows are added in increasing output order. Fast path: float32, any
// window, stride and padding (tfjs's computePool2DInfo). Other dtypes, empty tensors and a 1 × 1
// window that is an identity run the plain CPU kernel.

interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: "valid" | "same" | number | backend_util.ExplicitPadding;
  dimRoundingMode?: "floor" | "round" | "ceil";
}

type Args = { inputs: Record<string, TensorInfo | undefined>; attrs: PoolAttrs; backend: CpuBackendLike };

function poolGeometry(xShape: number[], attrs: PoolAttrs): { info: ConvInfo; geometry: Int32Array } | null {
  if (xShape.length !== 4) return null;
  const info = tryConvInfo(() => backend_util.computePool2DInfo(xShape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode));
  if (!info || (info.filterHeight === 1 && info.filterWidth === 1 && info.outShape.every((d, i) => d === info.inShape[i]))) return null;
  const geometry = nhwcGeometry(info);
  return geometry ? { info, geometry } : null;
}

/** MaxPool; `fallback` is the plain CPU kernel. */
export function openBlasMaxPool(addon: OpenBlasAddon, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as Args;
    const x = inputs["x"]!;
    const xv = float32Data(backend, x);
    const plan = xv ? poolGeometry(x.shape, attrs) : null;
    if (!plan) return fallback(args);
    const y = outputBuffer(backend, plan.info.outShape.reduce((p, d) => p * d, 1));
    addon.maxPool(xv!, y, plan.geometry);
    return backend.makeTensorInfo(plan.info.outShape.slice(), "float32", y);
  };
}

/** MaxPoolGrad (inputs dy, input, output): the first maximum of each window, found again from the input, takes dy. */
export function openBlasMaxPoolGrad(addon: OpenBlasAddon, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as Args;
    const dy = inputs["dy"]!;
    const x = inputs["input"]!;
    const dyv = float32Data(backend, dy);
    const xv = float32Data(backend, x);
    const plan = dyv && xv ? poolGeometry(x.shape, attrs) : null;
    if (!plan || plan.info.outShape.some((d, i) => d !== dy.shape[i])) return fallback(args);
    const dx = outputBuffer(backend, xv!.length);
    addon.maxPoolGrad(dyv!, xv!, dx, plan.geometry);
    return backend.makeTensorInfo(x.shape.slice(), "float32", dx);
  };
}
