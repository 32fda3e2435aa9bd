import { backend_util } from "@tensorflow/tfjs-core";

/** tfjs's description of a 2-D convolution or pooling window (`backend_util.computeConv2DInfo` / `computePool2DInfo`). */
export type ConvInfo = backend_util.Conv2DInfo;

const INT32_MAX = 2 ** 31 - 1;

/**
 * The window geometry the addon's convolution and pooling loops take (native/dale_openblas.h,
 * `conv_geometry`), as an Int32Array [n, h, w, cin, oh, ow, cout, kh, kw, sh, sw, pt, pl]: input
 * [n, h, w, cin], output [n, oh, ow, cout], a kh × kw window moved by (sh, sw), top / left padding
 * (pt, pl). Output pixel (oy, ox) reads input rows oy·sh − pt + ky and columns ox·sw − pl + kx.
 *
 * @param info - tfjs's window description
 * @returns the geometry, or null outside the native fast path: channels-first data, a dilation
 *   other than 1, or an empty dimension (the caller then runs the plain CPU kernel)
 * @example
 * const g = nhwcGeometry(backend_util.computeConv2DInfo([2, 8, 8, 4], [3, 3, 4, 1], 1, 1, "same", undefined, true));
 */
export function nhwcGeometry(info: ConvInfo): Int32Array | null {
  if (info.dataFormat !== "channelsLast" || info.dilationHeight !== 1 || info.dilationWidth !== 1) return null;
  const sizes = [
    info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth, info.outChannels,
    info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth,
  ];
  const pads = [info.padInfo.top, info.padInfo.left];
  if (sizes.some((v) => !Number.isInteger(v) || v < 1 || v > INT32_MAX) || pads.some((v) => !Number.isInteger(v) || v < 0 || v > INT32_MAX)) return null;
  return Int32Array.from([...sizes, ...pads]);
}

/**
 * Runs tfjs's window computation, or returns null when it throws (bad attributes): the caller
 * then runs the plain CPU kernel, which raises tfjs's own error.
 *
 * @param compute - a call of `backend_util.computeConv2DInfo` or `computePool2DInfo`
 * @returns its result, or null
 */
export function tryConvInfo(compute: () => ConvInfo): ConvInfo | null {
  try {
    return compute();
  } catch {
    return null;
  }
}

/**
 * tfjs's data-format attribute as computeConv2DInfo takes it: "NHWC" (or absent) is
 * "channelsLast", "NCHW" "channelsFirst"; anything else is null (the plain kernel reports it).
 */
export function dataFormatOf(dataFormat: unknown): "channelsLast" | "channelsFirst" | null {
  if (dataFormat === undefined || dataFormat === null || dataFormat === "NHWC") return "channelsLast";
  return dataFormat === "NCHW" ? "channelsFirst" : null;
}
