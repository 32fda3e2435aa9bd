import type { TensorInfo } from "@tensorflow/tfjs-core";
import { RELU_RNN_GRAD_KERNEL, RELU_RNN_KERNEL, type ReluRnnGradKernelImpl, type ReluRnnKernelImpl } from "@dale-nn/core";
import { outputBuffer, requireFloat32, type CpuBackendLike } from "./cpu-data.js";
import type { OpenBlasAddon } from "./load-addon.js";

// The fused ReLU recurrence (Li et al. 2023, eq. 2) on OpenBLAS: the RELU_RNN_KERNEL /
// RELU_RNN_GRAD_KERNEL contract of @dale-nn/core (names, versions, typed inputs and outputs,
// time-major layouts); @dale-nn/ei-layers' rnnForward runs it when the active backend has this version.

function dims(u: TensorInfo, w: TensorInfo, h0: TensorInfo, kernel: string): [number, number, number] {
  const [steps, batch, n] = u.shape as [number, number, number];
  if (u.shape.length !== 3 || w.shape.length !== 2 || w.shape[0] !== n || w.shape[1] !== n || h0.shape.length !== 2 || h0.shape[0] !== batch || h0.shape[1] !== n) {
    throw new RangeError(`${kernel}: expected u [T, B, n], w [n, n], h0 [B, n]; got u [${u.shape}], w [${w.shape}], h0 [${h0.shape}]`);
  }
  if (steps < 1) throw new RangeError(`${kernel}: sequence length must be >= 1; got ${steps}`);
  return [steps, batch, n];
}

/** The forward kernel on the OpenBLAS backend. */
export function openBlasReluRnn(addon: OpenBlasAddon): ReluRnnKernelImpl<CpuBackendLike> {
  return ({ inputs, backend }) => {
    const { u, w, h0 } = inputs;
    const [steps, batch, n] = dims(u, w, h0, RELU_RNN_KERNEL);
    const h = outputBuffer(backend, steps * batch * n);
    if (h.length > 0) {
      addon.reluRnnForward(requireFloat32(backend, u, "u", RELU_RNN_KERNEL), requireFloat32(backend, w, "w", RELU_RNN_KERNEL), requireFloat32(backend, h0, "h0", RELU_RNN_KERNEL), h, steps, batch, n);
    }
    const last = outputBuffer(backend, batch * n);
    last.set(h.subarray((steps - 1) * batch * n));
    return { states: backend.makeTensorInfo([steps, batch, n], "float32", h), last: backend.makeTensorInfo([batch, n], "float32", last) };
  };
}

/** The gradient kernel on the OpenBLAS backend. */
export function openBlasReluRnnGrad(addon: OpenBlasAddon): ReluRnnGradKernelImpl<CpuBackendLike> {
  return ({ inputs, backend }) => {
    const { dy, dyLast, h, w, h0 } = inputs;
    const [steps, batch, n] = dims(h, w, h0, RELU_RNN_GRAD_KERNEL);
    if (!dy && !dyLast) throw new TypeError(`${RELU_RNN_GRAD_KERNEL}: needs dy, dyLast or both`);
    if (dy && (dy.shape.length !== 3 || dy.shape.some((d, i) => d !== h.shape[i]))) {
      throw new RangeError(`${RELU_RNN_GRAD_KERNEL}: dy must have the shape of h [${h.shape}]; got [${dy.shape}]`);
    }
    if (dyLast && (dyLast.shape.length !== 2 || dyLast.shape[0] !== batch || dyLast.shape[1] !== n)) {
      throw new RangeError(`${RELU_RNN_GRAD_KERNEL}: dyLast must be [${batch}, ${n}]; got [${dyLast.shape}]`);
    }
    const du = outputBuffer(backend, steps * batch * n);
    const dw = outputBuffer(backend, n * n);
    const dh0 = outputBuffer(backend, batch * n);
    if (du.length > 0) {
      const k = RELU_RNN_GRAD_KERNEL;
      const none = new Float32Array(0);
      addon.reluRnnBackward(dy ? requireFloat32(backend, dy, "dy", k) : none, dyLast ? requireFloat32(backend, dyLast, "dyLast", k) : none, requireFloat32(backend, h, "h", k), requireFloat32(backend, w, "w", k), requireFloat32(backend, h0, "h0", k), du, dw, dh0, steps, batch, n);
    }
    return {
      du: backend.makeTensorInfo([steps, batch, n], "float32", du),
      dw: backend.makeTensorInfo([n, n], "float32", dw),
      dh0: backend.makeTensorInfo([batch, n], "float32", dh0),
    };
  };
}
