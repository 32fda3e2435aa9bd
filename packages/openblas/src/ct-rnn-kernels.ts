import type { TensorInfo } from "@tensorflow/tfjs-core";
import { CT_RNN_GRAD_KERNEL, CT_RNN_KERNEL, CT_RNN_KERNEL_ACTIVATIONS, type CtRnnGradKernelImpl, type CtRnnKernelActivation, type CtRnnKernelImpl } from "@dale-nn/core";
import { outputBuffer, requireFloat32, type CpuBackendLike } from "./cpu-data.js";
import type { OpenBlasAddon } from "./load-addon.js";

// The fused continuous-time Euler recurrence (Song, Yang & Wang 2016, eqs. 1-2) on OpenBLAS: the
// CT_RNN_KERNEL / CT_RNN_GRAD_KERNEL contract of @dale-nn/core (names, versions, typed inputs and
// outputs, time-major layouts); @dale-nn/ei-layers' ctRnnForward runs it when the active backend
// has this version.

const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

function dims(drive: TensorInfo, w: TensorInfo, alpha: TensorInfo, v0: TensorInfo, kernel: string): [number, number, number] {
  const [steps, batch, n] = drive.shape as [number, number, number];
  if (drive.shape.length !== 3 || !same(w.shape, [n, n]) || !same(alpha.shape, [n]) || !same(v0.shape, [batch, n])) {
    throw new RangeError(`${kernel}: expected drive [T, B, n], w [n, n], alpha [n], v0 [B, n]; got drive [${drive.shape}], w [${w.shape}], alpha [${alpha.shape}], v0 [${v0.shape}]`);
  }
  if (steps < 1) throw new RangeError(`${kernel}: sequence length must be >= 1; got ${steps}`);
  return [steps, batch, n];
}

function activationCode(activation: CtRnnKernelActivation, kernel: string): number {
  const code = CT_RNN_KERNEL_ACTIVATIONS.indexOf(activation);
  if (code < 0) throw new RangeError(`${kernel}: unknown activation ${JSON.stringify(activation)}; expected one of ${CT_RNN_KERNEL_ACTIVATIONS.join(", ")}`);
  return code;
}

/** The forward kernel on the OpenBLAS backend. */
export function openBlasCtRnn(addon: OpenBlasAddon): CtRnnKernelImpl<CpuBackendLike> {
  return ({ inputs, attrs, backend }) => {
    const { drive, w, alpha, v0 } = inputs;
    const k = CT_RNN_KERNEL;
    const [steps, batch, n] = dims(drive, w, alpha, v0, k);
    const act = activationCode(attrs.activation, k);
    const states = outputBuffer(backend, steps * batch * n);
    if (states.length > 0) {
      addon.ctRnnForward(requireFloat32(backend, drive, "drive", k), requireFloat32(backend, w, "w", k), requireFloat32(backend, alpha, "alpha", k), requireFloat32(backend, v0, "v0", k), states, steps, batch, n, act);
    }
    return { states: backend.makeTensorInfo([steps, batch, n], "float32", states) };
  };
}

/** The gradient kernel on the OpenBLAS backend. */
export function openBlasCtRnnGrad(addon: OpenBlasAddon): CtRnnGradKernelImpl<CpuBackendLike> {
  return ({ inputs, attrs, backend }) => {
    const { dy, states, drive, w, alpha, v0 } = inputs;
    const k = CT_RNN_GRAD_KERNEL;
    const [steps, batch, n] = dims(drive, w, alpha, v0, k);
    const act = activationCode(attrs.activation, k);
    for (const [name, t] of [["dy", dy], ["states", states]] as const) {
      if (!same(t.shape, drive.shape)) throw new RangeError(`${k}: ${name} must have the shape of drive [${drive.shape}]; got [${t.shape}]`);
    }
    const dDrive = outputBuffer(backend, steps * batch * n);
    const empty = dDrive.length === 0; // an empty batch: the weight gradients are 0, not a reused buffer's contents
    const dw = outputBuffer(backend, n * n, empty);
    const dAlpha = outputBuffer(backend, n, empty);
    const dv0 = outputBuffer(backend, batch * n);
    if (!empty) {
      const f = (t: TensorInfo, name: string): Float32Array => requireFloat32(backend, t, name, k);
      addon.ctRnnBackward(f(dy, "dy"), f(states, "states"), f(drive, "drive"), f(w, "w"), f(alpha, "alpha"), f(v0, "v0"), dDrive, dw, dAlpha, dv0, steps, batch, n, act);
    }
    return {
      dDrive: backend.makeTensorInfo([steps, batch, n], "float32", dDrive),
      dw: backend.makeTensorInfo([n, n], "float32", dw),
      dAlpha: backend.makeTensorInfo([n], "float32", dAlpha),
      dv0: backend.makeTensorInfo([batch, n], "float32", dv0),
    };
  };
}
