import { engine, getBackend, getKernel, registerGradient, type NamedTensorMap, type Tensor, type Tensor2D, type Tensor3D } from "@tensorflow/tfjs-core";

/**
 * The fused ReLU recurrence, run as one kernel on backends that provide it (the OpenBLAS backend
 * of `@dale-nn/openblas`): H_t = ReLU(u_t + H_{t−1} Wᵀ) for t = 0..T−1 with time-major
 * u: [T, B, n], W: [n, n], h0: [B, n], giving H: [T, B, n] and, as a second output, H_{T−1}
 * (so reading only the last state needs no slice to back-propagate through). Its gradient is the kernel
 * "DaleReluRnnGrad" (backpropagation through time in one call). These names and layouts are the
 * contract with the backend package.
 */
export const RELU_RNN_KERNEL = "DaleReluRnn";
export const RELU_RNN_GRAD_KERNEL = "DaleReluRnnGrad";

let gradientRegistered = false;

function ensureGradient(): void {
  if (gradientRegistered) return;
  registerGradient({
    kernelName: RELU_RNN_KERNEL,
    inputsToSave: ["w", "h0"],
    outputsToSave: [true, false],
    gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
      const [w, h0, h] = saved as [Tensor2D, Tensor2D, Tensor3D];
      const [dyAll, dyLast] = (Array.isArray(dy) ? dy : [dy, null]) as [Tensor | null, Tensor | null];
      const gradInputs: Record<string, Tensor> = { h, w, h0 };
      if (dyAll) gradInputs.dy = dyAll;
      if (dyLast) gradInputs.dyLast = dyLast;
      // Computed here, not inside the closures: the engine runs each closure in its own tidy,
      // which would dispose the parts another closure returns. Unused parts are disposed with
      // the backward pass's scope.
      const [du, dw, dh0] = engine().runKernel(RELU_RNN_GRAD_KERNEL, gradInputs as unknown as NamedTensorMap, {}) as unknown as Tensor[];
      return { u: () => du!, w: () => dw!, h0: () => dh0! };
    },
  });
  gradientRegistered = true;
}

/** Whether the active backend runs the fused recurrence (and its gradient). */
export function fusedReluRnnAvailable(): boolean {
  const backend = getBackend();
  return getKernel(RELU_RNN_KERNEL, backend) !== undefined && getKernel(RELU_RNN_GRAD_KERNEL, backend) !== undefined;
}

/** Runs the fused recurrence: all states H [T, B, n] and the last one [B, n]; check {@link fusedReluRnnAvailable} first. */
export function fusedReluRnn(u: Tensor3D, w: Tensor2D, h0: Tensor2D): { states: Tensor3D; last: Tensor2D } {
  ensureGradient();
  const [states, last] = engine().runKernel(RELU_RNN_KERNEL, { u, w, h0 } as unknown as NamedTensorMap, {}) as unknown as [Tensor3D, Tensor2D];
  return { states, last };
}
