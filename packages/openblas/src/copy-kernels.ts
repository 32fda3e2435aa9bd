import type { KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import { float32Data, outputBuffer, type CpuBackendLike } from "./cpu-data.js";

// Fast paths for the data-movement kernels of a convolutional recurrent network's training step,
// which the plain CPU backend moves element by element through index arithmetic
// (TensorBuffer.indexToLoc) or into new unpooled arrays: Unpack along an inner axis (tf.unstack
// of a [B, T, H, W, C] sequence into its steps, and the gradient of tf.stack along axis 1), Pack
// (tf.stack of the steps along axis 1, and the gradient of tf.unstack) and Tile (a BatchNorm
// gradient tiles its [1, 1, 1, C] statistics over [B, H, W, C]). All copy contiguous blocks into
// pooled buffers instead; the values are the plain kernels' (copies, no arithmetic).

const count = (dims: readonly number[]): number => dims.reduce((p, d) => p * d, 1);

/**
 * Unpack (tf.unstack) of a float32 tensor along an axis other than the first: output i takes,
 * for every index of the leading axes, the contiguous block of the trailing axes at position i.
 * Along axis 0 (contiguous slices, which the plain kernel returns as views) and for other dtypes
 * it runs `fallback`, the plain CPU kernel.
 */
export function fastUnpack(fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as { inputs: { value: TensorInfo }; attrs: { axis: number }; backend: CpuBackendLike };
    const { value } = inputs;
    const xv = float32Data(backend, value);
    const rank = value.shape.length;
    const axis = attrs.axis < 0 ? attrs.axis + rank : attrs.axis;
    if (!xv || xv.length === 0 || axis <= 0 || axis >= rank) return fallback(args);
    const num = value.shape[axis]!;
    const outer = count(value.shape.slice(0, axis));
    const inner = count(value.shape.slice(axis + 1));
    const outShape = value.shape.filter((_, i) => i !== axis);
    const outputs: TensorInfo[] = [];
    for (let i = 0; i < num; i++) {
      const out = outputBuffer(backend, outer * inner);
      for (let o = 0; o < outer; o++) {
        const from = (o * num + i) * inner;
        out.set(xv.subarray(from, from + inner), o * inner);
      }
      outputs.push(backend.makeTensorInfo(outShape.slice(), "float32", out));
    }
    return outputs;
  };
}

/**
 * Pack (tf.stack) of two or more float32 tensors of one shape along any axis: for every index of
 * the leading axes, the contiguous blocks of the trailing axes of input 0, 1, … in turn. One
 * input (an expandDims, which the plain kernel returns as a view) and other dtypes run `fallback`.
 */
export function fastPack(fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as { inputs: TensorInfo[]; attrs: { axis: number }; backend: CpuBackendLike };
    if (!Array.isArray(inputs) || inputs.length < 2) return fallback(args);
    const shape = inputs[0]!.shape;
    const values = inputs.map((t) => (t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i]) ? float32Data(backend, t) : null));
    const rank = shape.length;
    const axis = attrs.axis < 0 ? attrs.axis + rank + 1 : attrs.axis;
    if (values.some((v) => v === null) || axis < 0 || axis > rank || values[0]!.length === 0) return fallback(args);
    const num = inputs.length;
    const outer = count(shape.slice(0, axis));
    const inner = count(shape.slice(axis));
    const out = outputBuffer(backend, outer * num * inner);
    values.forEach((v, i) => {
      for (let o = 0; o < outer; o++) out.set(v!.subarray(o * inner, (o + 1) * inner), (o * num + i) * inner);
    });
    return backend.makeTensorInfo([...shape.slice(0, axis), num, ...shape.slice(axis)], "float32", out);
  };
}

/**
 * Tile of a float32 tensor: out[i₀, …, i_{r−1}] = x[i₀ mod s₀, …, i_{r−1} mod s_{r−1}]. Built in the
 * output buffer from the innermost axis outwards: the blocks of the axes tiled so far are spread
 * out to their final stride and each is repeated reps[a] times by doubling copies.
 */
export function fastTile(fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as { inputs: { x: TensorInfo }; attrs: { reps: number[] }; backend: CpuBackendLike };
    const { x } = inputs;
    const xv = float32Data(backend, x);
    const { reps } = attrs;
    const rank = x.shape.length;
    if (!xv || xv.length === 0 || !Array.isArray(reps) || reps.length !== rank || reps.some((r) => !Number.isInteger(r) || r < 1)) return fallback(args);
    const outShape = x.shape.map((d, i) => d * reps[i]!);
    const out = outputBuffer(backend, count(outShape));
    out.set(xv, 0);
    const shape = x.shape.slice();
    for (let a = rank - 1; a >= 0; a--) {
      const r = reps[a]!;
      if (r === 1) continue;
      const outer = count(shape.slice(0, a));
      const block = count(shape.slice(a));
      const total = r * block;
      // Last block first: a block only ever moves to a higher offset, over blocks already moved.
      for (let o = outer - 1; o >= 0; o--) {
        const from = o * block;
        const to = o * total;
        if (to !== from) out.copyWithin(to, from, from + block);
        for (let filled = block; filled < total; filled += Math.min(filled, total - filled)) out.copyWithin(to + filled, to, to + Math.min(filled, total - filled));
      }
      shape[a]! *= r;
    }
    return backend.makeTensorInfo(outShape, "float32", out);
  };
}
