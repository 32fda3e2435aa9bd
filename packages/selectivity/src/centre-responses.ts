import { formatShape, formatValue, requireInteger } from "@dale-nn/core/validation";
import { readNdArray, type NdArrayLike, type TensorLikeInput } from "./internal/read-array.js";
import type { ResponseMatrix } from "./response-matrix.js";

/**
 * A feature map as {@link centreResponses} reads it: `{ data, shape }` (row-major) or a
 * tensor-like, NHWC `[N, H, W, C]` for one time step or `[T, N, H, W, C]` for T steps.
 */
export type FeatureMapInput = NdArrayLike | TensorLikeInput;

/** Options of {@link centreResponses}. */
export interface CentreResponsesOptions {
  /** `[row, col]` of the unit read in each map; default `[⌊H / 2⌋, ⌊W / 2⌋]`. */
  centre?: readonly [number, number];
}

/**
 * A channel's response to each image: the unit at the spatial centre of its feature map, averaged
 * over time steps (paper 002, Sec. 2 and App. C: "each neuron's ... maximal activity (averaged over
 * time step)"; one unit per channel, "all channels in the center of the convolutional layer"):
 *
 *   r[n, c] = (1/T) Σ_t map_t[n, h₀, w₀, c].
 *
 * Which map to pass is the caller's choice (paper 002: PN before pooling, IG / OG after their
 * ReLU). Call it on each batch and join the batches with {@link collectResponses}.
 *
 * @param maps - one map `[N, H, W, C]`, a list of per-step maps (same shape), or `[T, N, H, W, C]`
 * @param options - the unit to read; see {@link CentreResponsesOptions}
 * @returns responses `[N, C]` in float64
 * @throws RangeError on an empty list, maps of different shapes, a rank other than 4 (or 5), a
 *   centre outside the map, or a non-finite value at a centre unit (only those are read); TypeError
 *   on another kind of input
 * @example
 * const r = centreResponses(pnPerStep.map((t) => ({ data: t.dataSync(), shape: t.shape })));
 */
export function centreResponses(maps: FeatureMapInput | readonly FeatureMapInput[], options: CentreResponsesOptions = {}): ResponseMatrix {
  const context = "centreResponses";
  const steps: Array<{ data: ArrayLike<number>; shape: number[] }> = [];
  if (Array.isArray(maps)) {
    if (maps.length === 0) throw new RangeError(`${context}: the list of per-step maps is empty; expected at least one [N, H, W, C] map`);
    maps.forEach((m: FeatureMapInput, t: number) => steps.push(readNdArray(m, context, `maps[${t}]`, [4], false)));
    const first = steps[0]!.shape;
    steps.forEach((s, t) => {
      if (s.shape.some((d, i) => d !== first[i])) {
        throw new RangeError(`${context}: maps[${t}] has shape ${formatShape(s.shape)}; expected ${formatShape(first)} like maps[0]`);
      }
    });
  } else {
    const m = readNdArray(maps, context, "maps", [4, 5], false);
    if (m.shape.length === 4) steps.push(m);
    else {
      const [t, ...rest] = m.shape as [number, number, number, number, number];
      const size = rest.reduce((a, b) => a * b, 1);
      for (let s = 0; s < t; s++) {
        const view = ArrayBuffer.isView(m.data)
          ? (m.data as unknown as Float32Array).subarray(s * size, (s + 1) * size)
          : Array.prototype.slice.call(m.data, s * size, (s + 1) * size);
        steps.push({ data: view, shape: rest });
      }
    }
  }
  const [n, h, w, c] = steps[0]!.shape as [number, number, number, number];
  let row = Math.floor(h / 2);
  let col = Math.floor(w / 2);
  if (options.centre !== undefined) {
    const ce = options.centre;
    if (!Array.isArray(ce) || ce.length !== 2) throw new RangeError(`${context}: centre must be [row, col]; got ${formatValue(ce)}`);
    row = requireInteger(context, "centre[0] (row)", ce[0], 0, h - 1);
    col = requireInteger(context, "centre[1] (col)", ce[1], 0, w - 1);
  }
  const out = new Float64Array(n * c);
  // Only the centre units are read, so only they are checked (maps can be large).
  steps.forEach((step, t) => {
    for (let i = 0; i < n; i++) {
      const at = ((i * h + row) * w + col) * c;
      for (let j = 0; j < c; j++) {
        const x = step.data[at + j];
        if (typeof x !== "number" || !Number.isFinite(x)) {
          throw new RangeError(`${context}: step ${t}, image ${i}, channel ${j} has ${formatValue(x)} at the centre (${row}, ${col}); expected a finite number`);
        }
        out[i * c + j] = (out[i * c + j] as number) + x;
      }
    }
  });
  const inv = 1 / steps.length;
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) * inv;
  return { data: out, rows: n, cols: c };
}
