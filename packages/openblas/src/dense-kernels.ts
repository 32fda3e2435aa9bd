import type { TensorInfo } from "@tensorflow/tfjs-core";
import { DENSE_ACTIVATIONS, DENSE_GRAD_KERNEL, DENSE_KERNEL, type DenseActivation, type DenseGradKernelImpl, type DenseKernelImpl } from "@dale-nn/core";
import { outputBuffer, requireFloat32, type CpuBackendLike } from "./cpu-data.js";
import type { OpenBlasAddon } from "./load-addon.js";

// The fused dense layer y = f(x Wᵀ + b) on OpenBLAS: the DENSE_KERNEL / DENSE_GRAD_KERNEL
// contract of @dale-nn/core (names, versions, typed inputs and outputs, layouts);
// @dale-nn/ei-layers' denseForward (StandardDense, ColEiDense) runs it when the active backend
// has this version. Element for element the arithmetic of the backend's separate BatchMatMul,
// Add and Relu kernels and of their gradients (native/dense.c).

/** The addon's activation codes (native/dense.c). */
const ACTIVATION_CODES: Readonly<Record<DenseActivation, number>> = { linear: 0, relu: 1 };

function activationCode(activation: unknown, kernel: string): number {
  const code = DENSE_ACTIVATIONS.includes(activation as DenseActivation) ? ACTIVATION_CODES[activation as DenseActivation] : undefined;
  if (code === undefined) throw new TypeError(`${kernel}: unknown activation ${JSON.stringify(activation)}; expected one of ${DENSE_ACTIVATIONS.join(", ")}`);
  return code;
}

/** [B, d, out] of x [B, d], W [out, d]; a one-line RangeError with every shape otherwise. */
function sizes(x: TensorInfo, w: TensorInfo, kernel: string, extra = ""): [number, number, number] {
  const [batch, d] = x.shape as [number, number];
  const out = w.shape[0]!;
  if (x.shape.length !== 2 || w.shape.length !== 2 || w.shape[1] !== d || d < 1 || out < 1) {
    throw new RangeError(`${kernel}: expected x [B, d], w [out, d] with d, out >= 1; got x [${x.shape}], w [${w.shape}]${extra}`);
  }
  return [batch, d, out];
}

/** The forward kernel on the OpenBLAS backend. */
export function openBlasDense(addon: OpenBlasAddon): DenseKernelImpl<CpuBackendLike> {
  return ({ inputs, attrs, backend }) => {
    const k = DENSE_KERNEL;
    const { x, w, b } = inputs;
    const [batch, d, out] = sizes(x, w, k, `, b [${b.shape}]`);
    if (b.shape.length !== 1 || b.shape[0] !== out) throw new RangeError(`${k}: b must be [${out}] (the rows of w); got [${b.shape}]`);
    const act = activationCode(attrs.activation, k);
    const xv = requireFloat32(backend, x, "x", k);
    const wv = requireFloat32(backend, w, "w", k);
    const bv = requireFloat32(backend, b, "b", k);
    const y = outputBuffer(backend, batch * out);
    if (batch > 0) addon.denseForward(xv, wv, bv, y, batch, d, out, act);
    return { y: backend.makeTensorInfo([batch, out], "float32", y) };
  };
}

/** The gradient kernel on the OpenBLAS backend. */
export function openBlasDenseGrad(addon: OpenBlasAddon): DenseGradKernelImpl<CpuBackendLike> {
  return ({ inputs, attrs, backend }) => {
    const k = DENSE_GRAD_KERNEL;
    const { dy, x, y } = inputs;
    if (x.shape.length !== 2 || dy.shape.length !== 2 || dy.shape[0] !== x.shape[0] || x.shape[1]! < 1 || dy.shape[1]! < 1 || y.shape.join() !== dy.shape.join()) {
      throw new RangeError(`${k}: expected dy [B, out], x [B, d], y [B, out] with d, out >= 1; got dy [${dy.shape}], x [${x.shape}], y [${y.shape}]`);
    }
    const act = activationCode(attrs.activation, k);
    const [batch, d] = x.shape as [number, number];
    const out = dy.shape[1]!;
    const dyv = requireFloat32(backend, dy, "dy", k);
    const xv = requireFloat32(backend, x, "x", k);
    const yv = requireFloat32(backend, y, "y", k);
    const dz = outputBuffer(backend, batch * out);
    const dw = outputBuffer(backend, out * d);
    const db = outputBuffer(backend, out);
    if (batch > 0) addon.denseBackward(dyv, xv, yv, dz, dw, db, batch, d, out, act);
    return {
      dw: backend.makeTensorInfo([out, d], "float32", dw),
      db: backend.makeTensorInfo([out], "float32", db),
      dz: backend.makeTensorInfo([batch, out], "float32", dz),
    };
  };
}
