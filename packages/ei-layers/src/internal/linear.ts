import { matMul, type Tensor2D } from "@tensorflow/tfjs-core";

/**
 * y = x Wᵀ for x of shape [batch, d] and W of shape [out, d] ("post x pre"), as one matMul with
 * `transposeB`. Gradients (tfjs's own BatchMatMul gradient): dL/dx = dy W, dL/dW = dyᵀ x, and
 * dL/dx only when something upstream needs it (not for the input layer).
 *
 * No backend is special-cased here: on tfjs-backend-wasm, where a transposed matMul runs several
 * times slower than a product on a transposed copy, the app registers
 * `registerWasmTransposedMatMulOverride()` from `@dale-nn/core`, which makes wasm's BatchMatMul
 * transpose explicitly (forward and gradients alike).
 */
export function linear(x: Tensor2D, w: Tensor2D): Tensor2D {
  return matMul(x, w, false, true) as Tensor2D;
}
