import { convKernelFactories, type ConvKernelFactory } from "./conv-kernel-factory.js";

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

const depthwise = convKernelFactories({
  depthwise: true,
  // tfjs's depthwise gradient kernels carry the forward's dilations (anything but 1 falls back).
  gradientDilations: (attrs) => attrs.dilations,
  loops: { forward: "depthwiseConv2dForward", backpropInput: "depthwiseConv2dBackpropInput", backpropFilter: "depthwiseConv2dBackpropFilter" },
});

/** DepthwiseConv2dNative: y = x ⊛ w (see the file header); `fallback` is the plain CPU kernel. */
export const openBlasDepthwiseConv2d: ConvKernelFactory = depthwise.forward;

/** FusedDepthwiseConv2D: the depthwise conv, then a bias and linear / ReLU activation (else the plain kernel). */
export const openBlasFusedDepthwiseConv2d: ConvKernelFactory = depthwise.fused;

/** DepthwiseConv2dNativeBackpropInput: dL/dx from dy and the filter (attribute `inputShape`). */
export const openBlasDepthwiseConv2dBackpropInput: ConvKernelFactory = depthwise.backpropInput;

/** DepthwiseConv2dNativeBackpropFilter: dL/dw from x and dy (attribute `filterShape`), summed in float64 over the images. */
export const openBlasDepthwiseConv2dBackpropFilter: ConvKernelFactory = depthwise.backpropFilter;
