import { customGrad, getBackend, matMul, transpose, type Tensor, type Tensor2D } from "@tensorflow/tfjs-core";

/** Backends whose transposed matMul paths are slow enough that explicit transposes pay off. */
const EXPLICIT_TRANSPOSE_BACKENDS = new Set(["wasm"]);

/** x Wᵀ with both gradients on explicitly transposed operands (dL/dx = dy W, dL/dW = dyᵀ x). */
const linearWithExplicitTransposes: (x: Tensor2D, w: Tensor2D) => Tensor2D = customGrad((...args: unknown[]) => {
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

/**
 * y = x Wᵀ for x of shape [batch, d] and W of shape [out, d] ("post x pre").
 *
 * Gradients: dL/dx = dy W, dL/dW = dyᵀ x. On tfjs-backend-wasm 4.22 a matMul with the
 * `transposeA` / `transposeB` flags runs about 10x slower than the same product on a transposed
 * copy (see REFERENCE-NOTES), so there the forward pass and both gradients transpose explicitly
 * (a custom gradient, which always computes both). Every other backend (cpu, the OpenBLAS
 * backend, webgl, tensorflow) multiplies with the flags, which costs nothing there, through
 * tfjs's own matMul gradient: the same two products, and dL/dx only when something upstream
 * needs it (not for the input layer). Both give the same numbers up to float32 summation order.
 */
export function linear(x: Tensor2D, w: Tensor2D): Tensor2D {
  return EXPLICIT_TRANSPOSE_BACKENDS.has(getBackend()) ? linearWithExplicitTransposes(x, w) : (matMul(x, w, false, true) as Tensor2D);
}
