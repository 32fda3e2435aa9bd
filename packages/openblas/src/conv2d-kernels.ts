import { convKernelFactories, type ConvKernelFactory } from "./conv-kernel-factory.js";

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

const conv2d = convKernelFactories({
  depthwise: false,
  // tfjs's Conv2DBackpropInput and Conv2DBackpropFilter have no dilations attribute: dilation 1.
  gradientDilations: () => 1,
  loops: { forward: "conv2dForward", backpropInput: "conv2dBackpropInput", backpropFilter: "conv2dBackpropFilter" },
});

/** Conv2D: y = X̂ W; `fallback` is the plain CPU kernel. */
export const openBlasConv2d: ConvKernelFactory = conv2d.forward;

/** FusedConv2D: the conv, then a bias and linear / ReLU activation (other activations, PReLU weights: the plain kernel). */
export const openBlasFusedConv2d: ConvKernelFactory = conv2d.fused;

/** Conv2DBackpropInput: dL/dx = col2im(dy Wᵀ) (attribute `inputShape`). */
export const openBlasConv2dBackpropInput: ConvKernelFactory = conv2d.backpropInput;

/** Conv2DBackpropFilter: dL/dW = X̂ᵀ dy (attribute `filterShape`). */
export const openBlasConv2dBackpropFilter: ConvKernelFactory = conv2d.backpropFilter;
