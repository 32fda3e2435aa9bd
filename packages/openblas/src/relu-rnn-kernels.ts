import type { KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import { requireFloat32, type CpuBackendLike } from "./cpu-data.js";
import type { OpenBlasAddon } from "./load-addon.js";

/**
 * Kernel names of the fused ReLU recurrence. `@dale-nn/ei-layers` (rnnForward) runs
 * "DaleReluRnn" when the active backend has it, and registers its gradient, which runs
 * "DaleReluRnnGrad"; the names and tensor layouts below are the contract between the packages.
 *
 * - DaleReluRnn: inputs { u: [T, B, n] (time-major U x_t + b), w: [n, n], h0: [B, n] } →
 *   [H: [T, B, n], hLast: [B, n]] with H_t = ReLU(u_t + H_{t−1} Wᵀ), H_{−1} = h0 (Li et al.
 *   2023, eq. 2) and hLast = H_{T−1} (a separate output, so a model reading only the last state
 *   does not back-propagate through a slice of H).
 * - DaleReluRnnGrad: inputs { dy?: dL/dH [T, B, n], dyLast?: dL/dhLast [B, n] (at least one),
 *   h: H, w, h0 } → [dL/du, dL/dW, dL/dh0] by backpropagation through time.
 */
export const RELU_RNN_KERNEL = "DaleReluRnn";
export const RELU_RNN_GRAD_KERNEL = "DaleReluRnnGrad";


function dims(u: TensorInfo, w: TensorInfo, h0: TensorInfo, kernel: string): [number, number, number] {
  const [steps, batch, n] = u.shape as [number, number, number];
  if (u.shape.length !== 3 || w.shape.length !== 2 || w.shape[0] !== n || w.shape[1] !== n || h0.shape.length !== 2 || h0.shape[0] !== batch || h0.shape[1] !== n) {
    throw new RangeError(`${kernel}: expected u [T, B, n], w [n, n], h0 [B, n]; got u [${u.shape}], w [${w.shape}], h0 [${h0.shape}]`);
  }
  if (steps < 1) throw new RangeError(`${kernel}: sequence length must be >= 1; got ${steps}`);
  return [steps, batch, n];
}

/** The forward kernel on the OpenBLAS backend. */
export function openBlasReluRnn(addon: OpenBlasAddon): KernelFunc {
  return (args) => {
    const { inputs, backend } = args as unknown as { inputs: { u: TensorInfo; w: TensorInfo; h0: TensorInfo }; backend: CpuBackendLike };
    const { u, w, h0 } = inputs;
    const [steps, batch, n] = dims(u, w, h0, RELU_RNN_KERNEL);
    const h = new Float32Array(steps * batch * n);
    if (h.length > 0) {
      addon.reluRnnForward(requireFloat32(backend, u, "u", RELU_RNN_KERNEL), requireFloat32(backend, w, "w", RELU_RNN_KERNEL), requireFloat32(backend, h0, "h0", RELU_RNN_KERNEL), h, steps, batch, n);
    }
    const last = h.slice((steps - 1) * batch * n);
    return [backend.makeTensorInfo([steps, batch, n], "float32", h), backend.makeTensorInfo([batch, n], "float32", last)];
  };
}

/** The gradient kernel on the OpenBLAS backend. */
export function openBlasReluRnnGrad(addon: OpenBlasAddon): KernelFunc {
  return (args) => {
    const { inputs, backend } = args as unknown as {
      inputs: { dy?: TensorInfo; dyLast?: TensorInfo; h: TensorInfo; w: TensorInfo; h0: TensorInfo };
      backend: CpuBackendLike;
    };
    const { dy, dyLast, h, w, h0 } = inputs;
    const [steps, batch, n] = dims(h, w, h0, RELU_RNN_GRAD_KERNEL);
    if (!dy && !dyLast) throw new TypeError(`${RELU_RNN_GRAD_KERNEL}: needs dy, dyLast or both`);
    if (dy && (dy.shape.length !== 3 || dy.shape.some((d, i) => d !== h.shape[i]))) {
      throw new RangeError(`${RELU_RNN_GRAD_KERNEL}: dy must have the shape of h [${h.shape}]; got [${dy.shape}]`);
    }
    if (dyLast && (dyLast.shape.length !== 2 || dyLast.shape[0] !== batch || dyLast.shape[1] !== n)) {
      throw new RangeError(`${RELU_RNN_GRAD_KERNEL}: dyLast must be [${batch}, ${n}]; got [${dyLast.shape}]`);
    }
    const du = new Float32Array(steps * batch * n);
    const dw = new Float32Array(n * n);
    const dh0 = new Float32Array(batch * n);
    if (du.length > 0) {
      const k = RELU_RNN_GRAD_KERNEL;
      const none = new Float32Array(0);
      addon.reluRnnBackward(dy ? requireFloat32(backend, dy, "dy", k) : none, dyLast ? requireFloat32(backend, dyLast, "dyLast", k) : none, requireFloat32(backend, h, "h", k), requireFloat32(backend, w, "w", k), requireFloat32(backend, h0, "h0", k), du, dw, dh0, steps, batch, n);
    }
    return [
      backend.makeTensorInfo([steps, batch, n], "float32", du),
      backend.makeTensorInfo([n, n], "float32", dw),
      backend.makeTensorInfo([batch, n], "float32", dh0),
    ];
  };
}
