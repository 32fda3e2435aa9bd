import { customGrad, matMul, transpose, type Tensor, type Tensor2D } from "@tensorflow/tfjs-core";

/**
 * y = x Wᵀ for x of shape [batch, d] and W of shape [out, d] ("post x pre").
 *
 * The forward pass and both gradients use explicitly transposed operands instead of the
 * `transposeA` / `transposeB` flags: on tfjs-backend-wasm 4.22 a flagged matMul runs about 10x
 * slower than the same product on a transposed copy (see REFERENCE-NOTES). Gradients:
 * dL/dx = dy W, dL/dW = dyᵀ x.
 */
export const linear: (x: Tensor2D, w: Tensor2D) => Tensor2D = customGrad((...args: unknown[]) => {
  const [x, w, save] = args as [Tensor2D, Tensor2D, (tensors: Tensor[]) => void];
  save([x, w]);
  return {
    value: matMul(x, transpose(w)),
    gradFunc: (dy: Tensor, saved: Tensor[]) => {
      const [sx, sw] = saved as [Tensor2D, Tensor2D];
      const dy2 = dy as Tensor2D;
      return [matMul(dy2, sw), matMul(transpose(dy2), sx)];
    },
  };
}) as unknown as (x: Tensor2D, w: Tensor2D) => Tensor2D;
