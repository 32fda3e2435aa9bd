import { readNdArray } from "./internal/read-array.js";
import type { KernelInput } from "./separable-kernel.js";

/**
 * A channel-to-channel weight matrix `[inChannels, outChannels]` row-major: entry (i, o) =
 * `data[i * cols + o]` is the strength of the connection from input channel i to output channel o.
 */
export interface ConnectionMatrix {
  readonly data: Float64Array;
  /** Input (presynaptic) channels. */
  readonly rows: number;
  /** Output (postsynaptic) channels. */
  readonly cols: number;
}

/**
 * Averages a conv kernel's magnitudes over its two spatial axes (paper 002, App. A: "averaged over
 * the first two spatial dimensions. This would give us a channel-to-channel weight matrix"):
 *
 *   W[i, o] = (1 / (kh · kw)) Σ_{h, w} |K[h, w, i, o]|.
 *
 * @param kernel - `[kh, kw, C_in, C_out]`, e.g. {@link rebuildSeparableKernel}'s result or a regular conv kernel
 * @returns the `[C_in, C_out]` connection matrix (non-negative)
 * @throws RangeError on a kernel that is not 4-D or has a non-finite entry
 * @example
 * const pnToPn = spatialMeanKernel(rebuildSeparableKernel(dPN, pPN));
 */
export function spatialMeanKernel(kernel: KernelInput): ConnectionMatrix {
  const k = readNdArray(kernel, "spatialMeanKernel", "kernel", [4]);
  const [kh, kw, cin, cout] = k.shape as [number, number, number, number];
  const size = cin * cout;
  const out = new Float64Array(size);
  for (let s = 0; s < kh * kw; s++) {
    for (let e = 0; e < size; e++) out[e] = (out[e] as number) + Math.abs(k.data[s * size + e] as number);
  }
  const inv = 1 / (kh * kw);
  for (let e = 0; e < size; e++) out[e] = (out[e] as number) * inv;
  return { data: out, rows: cin, cols: cout };
}
