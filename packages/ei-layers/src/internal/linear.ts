import { customGrad, getBackend, matMul, transpose, type Tensor, type Tensor2D } from "@tensorflow/tfjs-core";

/** Backends whose transposed matMul paths are slow enough that explicit transposes pay off. */
const EXPLICIT_TRANSPOSE_BACKENDS = new Set(["wasm"]);

/**
 * y = x Wᵀ for x of shape [batch, d] and W of shape [out, d] ("post x pre").
 *
 * Gradients: dL/dx = dy W, dL/dW = dyᵀ x. On tfjs-backend-wasm 4.22 a matMul with the
 * `transposeA` / `transposeB` flags runs about 10x slower than the same product on a transposed
 * copy (see REFERENCE-NOTES), so there the forward pass and both gradients transpose explicitly.
 * Every other backend (cpu, the OpenBLAS backend, webgl, tensorflow) multiplies with the flags,
 * which costs nothing there, and skips the copies. Both give the same numbers up to float32
 * summation order.
 */
export const linear: (x: Tensor2D, w: Tensor2D) => Tensor2D = customGrad((...args: unknown[]) => {
  const [x, w, save] = args as [Tensor2D, Tensor2D, (tensors: Tensor[]) => void];
  save([x, w]);
  const explicit = EXPLICIT_TRANSPOSE_BACKENDS.has(getBackend());
  return {
    value: explicit ? matMul(x, transpose(w)) : matMul(x, w, false, true),
    gradFunc: (dy: Tensor, saved: Tensor[]) => {
      const [sx, sw] = saved as [Tensor2D, Tensor2D];
      const dy2 = dy as Tensor2D;
      return [matMul(dy2, sw), explicit ? matMul(transpose(dy2), sx) : matMul(dy2, sx, true, false)];
    },
  };
}) as unknown as (x: Tensor2D, w: Tensor2D) => Tensor2D;
