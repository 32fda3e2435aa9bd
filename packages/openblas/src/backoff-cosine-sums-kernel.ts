import { BACKOFF_COSINE_SUMS_KERNEL, type BackoffCosineSumsKernelImpl } from "@dale-nn/core";
import { outputBuffer, requireFloat32, type CpuBackendLike } from "./cpu-data.js";

// The sums of Alg. 6's cosines (Cornford et al. 2021, App. E.4) for every candidate step size in
// one pass over w and g: the BACKOFF_COSINE_SUMS_KERNEL contract of @dale-nn/core. Written in
// TypeScript, not in the addon: the pass is memory-bound and reads each element once for all
// candidates, and most elements (those the projection leaves alone) once in all, which is where
// the saving is (the op-by-op path makes about ten full-size tensors per candidate); float64
// accumulators, as the contract says.

/**
 * For each rate η_i: m = w − η_i g, p = P(m) with P the identity, max(0, ·) or min(·, 0); then
 * (a, b) = (p − w, −η_i g) for `update`, (p, m) for `parameter`; sums (Σ ab, Σ a², Σ b²), in
 * float64. An element that P leaves alone at every rate (m has P's sign at the smallest and the
 * largest rate, so at all of them: m is linear in η) has p = m, and its terms are polynomials in
 * η_i of Σ g², Σ wg and Σ w²: those elements are summed once for all rates; only the others
 * (those the projection clips at some rate) are visited per rate.
 */
export function backoffCosineSums(w: Float32Array, g: Float32Array, rates: ArrayLike<number>, projection: 0 | 1 | 2, measure: "update" | "parameter", out: Float32Array): void {
  const f = rates.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < f; i++) {
    lo = Math.min(lo, rates[i]!);
    hi = Math.max(hi, rates[i]!);
  }
  const acc = new Float64Array(3 * f);
  let gg = 0, wg = 0, ww = 0;
  const n = w.length;
  for (let j = 0; j < n; j++) {
    const wj = w[j]!;
    const gj = g[j]!;
    const mLo = wj - lo * gj;
    const mHi = wj - hi * gj;
    const untouched = projection === 0 || (projection === 1 ? mLo > 0 && mHi > 0 : mLo < 0 && mHi < 0);
    if (untouched) {
      gg += gj * gj;
      wg += wj * gj;
      ww += wj * wj;
      continue;
    }
    for (let i = 0; i < f; i++) {
      const step = rates[i]! * gj;
      const m = wj - step;
      const p = projection === 1 ? (m > 0 ? m : 0) : m < 0 ? m : 0;
      const a = measure === "update" ? p - wj : p;
      const b = measure === "update" ? -step : m;
      acc[3 * i] = acc[3 * i]! + a * b;
      acc[3 * i + 1] = acc[3 * i + 1]! + a * a;
      acc[3 * i + 2] = acc[3 * i + 2]! + b * b;
    }
  }
  for (let i = 0; i < f; i++) {
    const eta = rates[i]!;
    // Untouched elements: update, a = b = −η g, each sum η² Σ g²; parameter, a = b = m, each sum Σ (w − η g)².
    const common = measure === "update" ? eta * eta * gg : ww - 2 * eta * wg + eta * eta * gg;
    for (let k = 0; k < 3; k++) out[3 * i + k] = acc[3 * i + k]! + common;
  }
}

const PROJECTIONS: Record<string, 0 | 1 | 2> = { none: 0, nonneg: 1, nonpos: 2 };

/** The backoff sums on the OpenBLAS backend (and any backend that keeps float32 data in host arrays). */
export function openBlasBackoffCosineSums(): BackoffCosineSumsKernelImpl<CpuBackendLike> {
  return ({ inputs, attrs, backend }) => {
    const { w, g, rates } = inputs;
    const projection = PROJECTIONS[attrs.projection ?? "none"];
    if (projection === undefined) throw new TypeError(`${BACKOFF_COSINE_SUMS_KERNEL}: unknown projection ${JSON.stringify(attrs.projection)}; expected none, nonneg or nonpos`);
    if (attrs.measure !== "update" && attrs.measure !== "parameter") throw new TypeError(`${BACKOFF_COSINE_SUMS_KERNEL}: unknown measure ${JSON.stringify(attrs.measure)}; expected update or parameter`);
    const wv = requireFloat32(backend, w, "w", BACKOFF_COSINE_SUMS_KERNEL);
    const gv = requireFloat32(backend, g, "g", BACKOFF_COSINE_SUMS_KERNEL);
    const rv = requireFloat32(backend, rates, "rates", BACKOFF_COSINE_SUMS_KERNEL);
    if (wv.length !== gv.length || w.shape.length !== g.shape.length || w.shape.some((d, i) => d !== g.shape[i])) {
      throw new RangeError(`${BACKOFF_COSINE_SUMS_KERNEL}: gradient shape [${g.shape}] must equal the weight shape [${w.shape}]`);
    }
    if (rates.shape.length !== 1 || rv.length === 0) throw new RangeError(`${BACKOFF_COSINE_SUMS_KERNEL}: rates must be a non-empty 1-D tensor; got shape [${rates.shape}]`);
    const out = outputBuffer(backend, 3 * rv.length);
    backoffCosineSums(wv, gv, rv, projection, attrs.measure, out);
    return { sums: backend.makeTensorInfo([rv.length, 3], "float32", out) };
  };
}
