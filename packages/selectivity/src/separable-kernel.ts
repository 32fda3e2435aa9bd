import { formatShape } from "@dale-nn/core/validation";
import { readNdArray, type NdArrayLike, type TensorLikeInput } from "./internal/read-array.js";

/** A 4-D conv kernel `[kh, kw, inChannels, outChannels]` in float64, row-major (tfjs layout). */
export interface Kernel4D {
  readonly data: Float64Array;
  readonly shape: readonly [number, number, number, number];
}

/** A kernel as read here: `{ data, shape }` (row-major) or a tensor-like. */
export type KernelInput = NdArrayLike | TensorLikeInput;

/**
 * Rebuilds the full kernel of a depthwise-separable conv from its two factors, in magnitudes
 * (paper 002, App. A: "the 4-d convolution matrix of size [3, 3, channels_in, channels_out] is
 * recovered from the spatial and point-wise convolution kernels"; reference code
 * `|depth| * squeeze(|point|)`):
 *
 *   K[h, w, i, o] = Σ_q |D[h, w, i, q]| · |P[i·m + q, o]|,
 *
 * q over the channel multiplier m (1 in paper 002, where K = |D[h, w, i]| · |P[i, o]|). The
 * magnitudes make it right both for raw trainable kernels W̃ (the network uses |W̃|) and for
 * unconstrained ones (NoConstraint: |D · P|, equal to the above for m = 1).
 *
 * @param depthwise - `[kh, kw, C_in, m]` (tfjs `depthwiseKernel`) or `[kh, kw, C_in]` (m = 1)
 * @param pointwise - `[1, 1, C_in · m, C_out]` (tfjs `pointwiseKernel`) or `[C_in · m, C_out]`
 * @returns the non-negative kernel `[kh, kw, C_in, C_out]`
 * @throws RangeError when the shapes do not fit together (naming both) or on a non-finite entry
 * @example
 * const k = rebuildSeparableKernel(
 *   { data: dw.dataSync(), shape: dw.shape }, { data: pw.dataSync(), shape: pw.shape });
 * const m = spatialMeanKernel(k); // [C_in, C_out]
 */
export function rebuildSeparableKernel(depthwise: KernelInput, pointwise: KernelInput): Kernel4D {
  const context = "rebuildSeparableKernel";
  const d = readNdArray(depthwise, context, "depthwise", [3, 4]);
  const p = readNdArray(pointwise, context, "pointwise", [2, 4]);
  const [kh, kw, cin] = d.shape as [number, number, number];
  const m = d.shape.length === 4 ? (d.shape[3] as number) : 1;
  if (p.shape.length === 4 && (p.shape[0] !== 1 || p.shape[1] !== 1)) {
    throw new RangeError(`${context}: pointwise must be [1, 1, C_in·m, C_out]; got shape ${formatShape(p.shape)}`);
  }
  const pin = p.shape[p.shape.length - 2] as number;
  const cout = p.shape[p.shape.length - 1] as number;
  if (pin !== cin * m) {
    throw new RangeError(
      `${context}: pointwise has ${pin} input channels; depthwise ${formatShape(d.shape)} gives C_in · m = ${cin} · ${m} = ${cin * m} (shapes ${formatShape(d.shape)} and ${formatShape(p.shape)})`,
    );
  }
  const out = new Float64Array(kh * kw * cin * cout);
  for (let s = 0; s < kh * kw; s++) {
    for (let i = 0; i < cin; i++) {
      const at = (s * cin + i) * cout;
      for (let q = 0; q < m; q++) {
        const dv = Math.abs(d.data[(s * cin + i) * m + q] as number);
        if (dv === 0) continue;
        const prow = (i * m + q) * cout;
        for (let o = 0; o < cout; o++) out[at + o] = (out[at + o] as number) + dv * Math.abs(p.data[prow + o] as number);
      }
    }
  }
  return { data: out, shape: [kh, kw, cin, cout] };
}
