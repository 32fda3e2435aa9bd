import { add, engine, getBackend, getKernel, matMul, registerGradient, type NamedTensorMap, type Tensor, type Tensor2D } from "@tensorflow/tfjs-core";
import type { DannDenseParams } from "../dann-dense.js";

/**
 * The fused DANN dense layer (Cornford et al. 2021, eq. 1), run as one kernel on backends that
 * provide it (the OpenBLAS backend of `@dale-nn/openblas`): inputs { x, wEE, wIE, wEI, alpha, g,
 * beta }, attrs { eps } → [z, c, γ, z_I] with c = z_E − W_EI z_I. Its gradient kernel
 * "DaleDannDenseGrad" returns the weight gradients plus q = dL/dc and dL/dz_I, from which
 * dL/dx = q W_EE + (dL/dz_I) W_IE is formed only when x needs a gradient. Names and layouts are the
 * contract with the backend package.
 */
export const DANN_DENSE_KERNEL = "DaleDannDense";
export const DANN_DENSE_GRAD_KERNEL = "DaleDannDenseGrad";

let gradientRegistered = false;

function ensureGradient(): void {
  if (gradientRegistered) return;
  registerGradient({
    kernelName: DANN_DENSE_KERNEL,
    inputsToSave: ["x", "wEE", "wIE", "wEI", "alpha", "g"],
    outputsToSave: [false, true, true, true],
    gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
      const dz = (Array.isArray(dy) ? dy[0] : dy) as Tensor2D;
      const [x, wEE, wIE, wEI, alpha, g, c, gamma, zI] = saved as Tensor2D[];
      // Computed here, not in the closures: the engine runs each closure in its own tidy.
      const [dwEE, dwIE, dwEI, dalpha, dg, dbeta, q, dzI] = engine().runKernel(
        DANN_DENSE_GRAD_KERNEL,
        { dz, x, wEI, alpha, g, c, gamma, zI } as unknown as NamedTensorMap,
        {},
      ) as unknown as Tensor2D[];
      return {
        x: () => add(matMul(q!, wEE!), matMul(dzI!, wIE!)),
        wEE: () => dwEE!,
        wIE: () => dwIE!,
        wEI: () => dwEI!,
        alpha: () => dalpha!,
        g: () => dg!,
        beta: () => dbeta!,
      };
    },
  });
  gradientRegistered = true;
}

/** Whether the active backend runs the fused DANN layer (and its gradient). */
export function fusedDannDenseAvailable(): boolean {
  const backend = getBackend();
  return getKernel(DANN_DENSE_KERNEL, backend) !== undefined && getKernel(DANN_DENSE_GRAD_KERNEL, backend) !== undefined;
}

/** z of eq. 1 through the fused kernel; check {@link fusedDannDenseAvailable} first. */
export function fusedDannDense(x: Tensor2D, p: DannDenseParams, eps: number): Tensor2D {
  ensureGradient();
  const [z] = engine().runKernel(
    DANN_DENSE_KERNEL,
    { x, wEE: p.wEE, wIE: p.wIE, wEI: p.wEI, alpha: p.alpha, g: p.g, beta: p.beta } as unknown as NamedTensorMap,
    { eps },
  ) as unknown as Tensor2D[];
  return z!;
}
