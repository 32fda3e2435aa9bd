import { PROJECTED_SGD_STEP_KERNEL as SGD_STEP_KERNEL, type ProjectedSgdStepKernelImpl } from "@dale-nn/core";
import { float32Data, outputBuffer, type CpuBackendLike } from "./cpu-data.js";
import type { OpenBlasAddon } from "./load-addon.js";

// The fused projected-SGD update on OpenBLAS: the PROJECTED_SGD_STEP_KERNEL contract of
// @dale-nn/core, P(w − lr·g) with P the identity, max(0, ·) or min(·, 0) (Cornford et al. 2021,
// Alg. 5's projection step), bit-for-bit what sub(w, mul(lr, g)) followed by relu / minimum(·, 0)
// gives, in one pass instead of three; @dale-nn/projected-sgd runs it when the backend has this version.

const PROJECTIONS: Record<string, number> = { none: 0, nonneg: 1, nonpos: 2 };

/** The fused update on the OpenBLAS backend. */
export function openBlasSgdStep(addon: OpenBlasAddon): ProjectedSgdStepKernelImpl<CpuBackendLike> {
  return ({ inputs, attrs, backend }) => {
    const { w, g, lr } = inputs;
    const projection = PROJECTIONS[attrs.projection ?? "none"];
    if (projection === undefined) throw new TypeError(`${SGD_STEP_KERNEL}: unknown projection ${JSON.stringify(attrs.projection)}; expected none, nonneg or nonpos`);
    const wv = float32Data(backend, w);
    const gv = float32Data(backend, g);
    const lv = float32Data(backend, lr);
    if (!wv || !gv || !lv || lv.length !== 1) {
      throw new TypeError(`${SGD_STEP_KERNEL}: w, g must be float32 and lr a float32 scalar; got ${w.dtype}, ${g.dtype}, ${lr.dtype} [${lr.shape}]`);
    }
    if (wv.length !== gv.length || w.shape.length !== g.shape.length || w.shape.some((d, i) => d !== g.shape[i])) {
      throw new RangeError(`${SGD_STEP_KERNEL}: gradient shape [${g.shape}] must equal the weight shape [${w.shape}]`);
    }
    const out = outputBuffer(backend, wv.length);
    if (out.length > 0) addon.sgdStep(wv, gv, out, lv[0]!, projection);
    return { updated: backend.makeTensorInfo(w.shape.slice(), "float32", out) };
  };
}
