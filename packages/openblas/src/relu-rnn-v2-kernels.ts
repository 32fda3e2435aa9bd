import type { TensorInfo } from "@tensorflow/tfjs-core";
import { RELU_RNN_V2_GRAD_KERNEL, RELU_RNN_V2_KERNEL, type ReluRnnV2GradKernelImpl, type ReluRnnV2KernelImpl } from "@dale-nn/core";
import { outputBuffer, requireFloat32, type CpuBackendLike } from "./cpu-data.js";
import type { OpenBlasAddon } from "./load-addon.js";

// DaleReluRnn_v2 on OpenBLAS (native/relu_rnn_v2.c): the RELU_RNN_V2_KERNEL / RELU_RNN_V2_GRAD_KERNEL
// contract of @dale-nn/core, the whole ReLU RNN layer on batch-major x. @dale-nn/ei-layers'
// rnnForward runs it when the active backend has this version.

const EMPTY = new Float32Array(0);

interface Sizes {
  batch: number;
  steps: number;
  d: number;
  n: number;
}

/** [B, T, d, n] of x, U, W, h0 (and b); a one-line RangeError with every shape otherwise. */
function sizes(x: TensorInfo, u: TensorInfo, w: TensorInfo, h0: TensorInfo, bias: TensorInfo | null, kernel: string): Sizes {
  const [batch, steps, d] = x.shape as [number, number, number];
  const [n] = u.shape as [number];
  const ok =
    x.shape.length === 3 &&
    u.shape.length === 2 && u.shape[1] === d &&
    w.shape.length === 2 && w.shape[0] === n && w.shape[1] === n &&
    h0.shape.length === 2 && h0.shape[0] === batch && h0.shape[1] === n &&
    (bias === null || (bias.shape.length === 1 && bias.shape[0] === n));
  if (!ok || steps < 1 || d < 1 || n < 1) {
    const b = bias === null ? "" : ` bias [${bias.shape}],`;
    throw new RangeError(
      `${kernel}: expected x [B, T, d], u [n, d],${bias === null ? "" : " bias [n],"} w [n, n], h0 [B, n] with T, d, n >= 1; got x [${x.shape}], u [${u.shape}],${b} w [${w.shape}], h0 [${h0.shape}]`,
    );
  }
  return { batch, steps, d, n };
}

/** The forward kernel on the OpenBLAS backend. */
export function openBlasReluRnnV2(addon: OpenBlasAddon): ReluRnnV2KernelImpl<CpuBackendLike> {
  return ({ inputs, attrs, backend }) => {
    const { x, u, bias, w, h0 } = inputs;
    const k = RELU_RNN_V2_KERNEL;
    const s = sizes(x, u, w, h0, bias, k);
    const sequence = attrs.returnSequences === true;
    const h = outputBuffer(backend, s.batch * s.steps * s.n);
    const last = sequence ? EMPTY : outputBuffer(backend, s.batch * s.n);
    if (s.batch > 0) {
      addon.reluRnnV2Forward(
        requireFloat32(backend, x, "x", k), requireFloat32(backend, u, "u", k), requireFloat32(backend, bias, "bias", k),
        requireFloat32(backend, w, "w", k), requireFloat32(backend, h0, "h0", k), h, last, s.batch, s.steps, s.d, s.n, sequence ? 0 : 1,
      );
    }
    const t = (shape: number[], values: Float32Array) => backend.makeTensorInfo(shape, "float32", values);
    return sequence ? { states: t([s.batch, s.steps, s.n], h) } : { saved: t([s.steps, s.batch, s.n], h), last: t([s.batch, s.n], last) };
  };
}

/** The gradient kernel on the OpenBLAS backend. */
export function openBlasReluRnnV2Grad(addon: OpenBlasAddon): ReluRnnV2GradKernelImpl<CpuBackendLike> {
  return ({ inputs, attrs, backend }) => {
    const { dy, x, h, u, w, h0 } = inputs;
    const k = RELU_RNN_V2_GRAD_KERNEL;
    const s = sizes(x, u, w, h0, null, k);
    const sequence = attrs.returnSequences === true;
    const want = { dy: sequence ? [s.batch, s.steps, s.n] : [s.batch, s.n], h: sequence ? [s.batch, s.steps, s.n] : [s.steps, s.batch, s.n] };
    for (const [name, t] of [["dy", dy], ["h", h]] as const) {
      if (t.shape.join() !== want[name].join()) throw new RangeError(`${k}: ${name} must be [${want[name]}] (returnSequences ${sequence}); got [${t.shape}]`);
    }
    const inputGradient = attrs.inputGradient === true;
    // With an empty batch nothing is summed: the weight gradients are zeros.
    const empty = s.batch === 0;
    const out = {
      du: outputBuffer(backend, s.n * s.d, empty),
      dbias: outputBuffer(backend, s.n, empty),
      dw: outputBuffer(backend, s.n * s.n, empty),
      dh0: outputBuffer(backend, s.batch * s.n),
      dx: inputGradient ? outputBuffer(backend, s.batch * s.steps * s.d) : EMPTY,
    };
    if (!empty) {
      const dyValues = requireFloat32(backend, dy, "dy", k);
      // The per-step gradients dA [T, B, n]: a pooled buffer, back to the pool right after (a
      // malloc of this size in the addon was fresh zero pages every call).
      const scratch = outputBuffer(backend, s.batch * s.steps * s.n);
      addon.reluRnnV2Backward(
        sequence ? dyValues : EMPTY, sequence ? EMPTY : dyValues, requireFloat32(backend, x, "x", k), requireFloat32(backend, h, "h", k),
        requireFloat32(backend, u, "u", k), requireFloat32(backend, w, "w", k), requireFloat32(backend, h0, "h0", k),
        out.dx, out.du, out.dbias, out.dw, out.dh0, scratch, s.batch, s.steps, s.d, s.n, sequence ? 0 : 1,
      );
      backend.pool?.release(scratch);
    }
    const t = (shape: number[], values: Float32Array) => backend.makeTensorInfo(shape, "float32", values);
    return {
      du: t([s.n, s.d], out.du),
      dbias: t([s.n], out.dbias),
      dw: t([s.n, s.n], out.dw),
      dh0: t([s.batch, s.n], out.dh0),
      ...(inputGradient ? { dx: t([s.batch, s.steps, s.d], out.dx) } : {}),
    };
  };
}
