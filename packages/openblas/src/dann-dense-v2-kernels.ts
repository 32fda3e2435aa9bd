import type { TensorInfo } from "@tensorflow/tfjs-core";
import {
  DANN_DENSE_V2_GRAD_KERNEL,
  DANN_DENSE_V2_KERNEL,
  DENSE_ACTIVATIONS,
  type DannDenseV2Attrs,
  type DannDenseV2GradKernelImpl,
  type DannDenseV2KernelImpl,
  type DenseActivation,
} from "@dale-nn/core";
import { outputBuffer, requireFloat32, type CpuBackendLike } from "./cpu-data.js";
import type { OpenBlasAddon } from "./load-addon.js";

// DaleDannDense_v2 on OpenBLAS (native/dann_dense_v2.c): the DANN_DENSE_V2_KERNEL /
// DANN_DENSE_V2_GRAD_KERNEL contract of @dale-nn/core. @dale-nn/ei-layers' DannDense and
// DannLinear run it when the active backend has this version.

/** The addon's activation codes (native/dann_dense_v2.c). */
const ACTIVATION_CODES: Readonly<Record<DenseActivation, number>> = { linear: 0, relu: 1 };
const EMPTY = new Float32Array(0);

function activationCode(activation: unknown, kernel: string): number {
  const code = DENSE_ACTIVATIONS.includes(activation as DenseActivation) ? ACTIVATION_CODES[activation as DenseActivation] : undefined;
  if (code === undefined) throw new TypeError(`${kernel}: unknown activation ${JSON.stringify(activation)}; expected one of ${DENSE_ACTIVATIONS.join(", ")}`);
  return code;
}

interface Sizes {
  batch: number;
  d: number;
  ne: number;
  ni: number;
  /** The packed tensor's length: B (2 ne + ni) + ne + ni when divisive, B ni otherwise. */
  saved: number;
}

/** [B, d, ne, ni, P] of the weights and x; a one-line RangeError with every shape otherwise. */
function sizes(x: TensorInfo, wEE: TensorInfo, wIE: TensorInfo, wEI: TensorInfo, divisive: boolean, kernel: string): Sizes {
  const [batch, d] = x.shape as [number, number];
  const [ne, ni] = wEI.shape as [number, number];
  const ok =
    x.shape.length === 2 &&
    wEI.shape.length === 2 &&
    wEE.shape.length === 2 && wEE.shape[0] === ne && wEE.shape[1] === d &&
    wIE.shape.length === 2 && wIE.shape[0] === ni && wIE.shape[1] === d;
  if (!ok || d < 1 || ne < 1 || ni < 1) {
    throw new RangeError(`${kernel}: expected x [B, d], wEE [ne, d], wIE [ni, d], wEI [ne, ni] with d, ne, ni >= 1; got x [${x.shape}], wEE [${wEE.shape}], wIE [${wIE.shape}], wEI [${wEI.shape}]`);
  }
  return { batch, d, ne, ni, saved: divisive ? batch * (2 * ne + ni) + ne + ni : batch * ni };
}

/** Checks that each named tensor has its expected shape. */
function expectShapes(kernel: string, entries: ReadonlyArray<readonly [string, TensorInfo | undefined, readonly number[]]>): void {
  for (const [name, t, want] of entries) {
    if (t === undefined) throw new TypeError(`${kernel}: ${name} [${want}] is required here`);
    if (t.shape.join() !== want.join()) throw new RangeError(`${kernel}: ${name} must be [${want}]; got [${t.shape}]`);
  }
}

/** α and g must come exactly with divisive inhibition. */
function checkDivisive(kernel: string, attrs: DannDenseV2Attrs, alpha: TensorInfo | undefined, g: TensorInfo | undefined): void {
  if (!attrs.divisive && (alpha !== undefined || g !== undefined)) throw new TypeError(`${kernel}: subtractive inhibition (divisive: false) takes no alpha or g`);
}

/** The forward kernel on the OpenBLAS backend. */
export function openBlasDannDenseV2(addon: OpenBlasAddon): DannDenseV2KernelImpl<CpuBackendLike> {
  return ({ inputs, attrs, backend }) => {
    const k = DANN_DENSE_V2_KERNEL;
    const { x, wEE, wIE, wEI, b, alpha, g } = inputs;
    const divisive = attrs.divisive === true;
    const act = activationCode(attrs.activation, k);
    const s = sizes(x, wEE, wIE, wEI, divisive, k);
    checkDivisive(k, attrs, alpha, g);
    expectShapes(k, [["b", b, [s.ne]], ...(divisive ? ([["alpha", alpha, [s.ni]], ["g", g, [s.ne]]] as const) : [])]);
    const v = (t: TensorInfo | undefined, name: string) => (t === undefined ? EMPTY : requireFloat32(backend, t, name, k));
    const xv = v(x, "x"), weev = v(wEE, "wEE"), wiev = v(wIE, "wIE"), weiv = v(wEI, "wEI"), bv = v(b, "b"), av = v(alpha, "alpha"), gv = v(g, "g");
    const y = outputBuffer(backend, s.batch * s.ne);
    const saved = outputBuffer(backend, s.saved);
    if (s.batch > 0) {
      addon.dannDenseV2Forward(xv, weev, wiev, weiv, bv, av, gv, y, saved, s.batch, s.d, s.ne, s.ni, divisive ? 1 : 0, act, attrs.eps);
    } else if (divisive) {
      // No rows: the tail alone, g and e^α, as the contract lays it out.
      saved.set(gv, 0);
      av.forEach((a, j) => void (saved[s.ne + j] = Math.fround(Math.exp(a))));
    }
    return {
      y: backend.makeTensorInfo([s.batch, s.ne], "float32", y),
      saved: backend.makeTensorInfo([s.saved], "float32", saved),
    };
  };
}

/** The gradient kernel on the OpenBLAS backend. */
export function openBlasDannDenseV2Grad(addon: OpenBlasAddon): DannDenseV2GradKernelImpl<CpuBackendLike> {
  return ({ inputs, attrs, backend }) => {
    const k = DANN_DENSE_V2_GRAD_KERNEL;
    const { dy, x, wEE, wIE, wEI, y, saved } = inputs;
    const divisive = attrs.divisive === true;
    const inputGradient = attrs.inputGradient === true;
    const act = activationCode(attrs.activation, k);
    const s = sizes(x, wEE, wIE, wEI, divisive, k);
    expectShapes(k, [["dy", dy, [s.batch, s.ne]], ["y", y, [s.batch, s.ne]], ["saved", saved, [s.saved]]]);
    const v = (t: TensorInfo | undefined, name: string) => (t === undefined ? EMPTY : requireFloat32(backend, t, name, k));
    // With an empty batch nothing is summed: the weight gradients are zeros.
    const empty = s.batch === 0;
    const out = {
      dwEE: outputBuffer(backend, s.ne * s.d, empty),
      dwIE: outputBuffer(backend, s.ni * s.d, empty),
      dwEI: outputBuffer(backend, s.ne * s.ni, empty),
      db: outputBuffer(backend, s.ne, empty),
      dalpha: divisive ? outputBuffer(backend, s.ni, empty) : EMPTY,
      dg: divisive ? outputBuffer(backend, s.ne, empty) : EMPTY,
      dx: inputGradient ? outputBuffer(backend, s.batch * s.d) : EMPTY,
    };
    if (!empty) {
      addon.dannDenseV2Backward(
        v(dy, "dy"), v(x, "x"), v(wEE, "wEE"), v(wIE, "wIE"), v(wEI, "wEI"), v(y, "y"), v(saved, "saved"),
        out.dwEE, out.dwIE, out.dwEI, out.db, out.dalpha, out.dg, out.dx,
        s.batch, s.d, s.ne, s.ni, divisive ? 1 : 0, act, inputGradient ? 1 : 0,
      );
    }
    const t = (shape: number[], values: Float32Array) => backend.makeTensorInfo(shape, "float32", values);
    return {
      dwEE: t([s.ne, s.d], out.dwEE),
      dwIE: t([s.ni, s.d], out.dwIE),
      dwEI: t([s.ne, s.ni], out.dwEI),
      db: t([s.ne], out.db),
      ...(divisive ? { dalpha: t([s.ni], out.dalpha), dg: t([s.ne], out.dg) } : {}),
      ...(inputGradient ? { dx: t([s.batch, s.d], out.dx) } : {}),
    };
  };
}
