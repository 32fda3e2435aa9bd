import type { KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import { float32Data, outputBuffer, type CpuBackendLike } from "./cpu-data.js";
import type { OpenBlasAddon } from "./load-addon.js";

/**
 * Fast paths for the element-wise kernels that dominate a training step once matrix products run
 * on OpenBLAS (the optimizer update w − lr·g over every weight, bias adds, ReLU and its gradient).
 * The plain CPU kernels index every element through a general broadcasting routine; these run a
 * compiled, vectorisable C loop (native/elementwise.c) for the common layouts (same shape, a
 * scalar, a trailing-axes broadcast such as a bias row, a leading-axes broadcast such as a
 * per-row maximum) and call the plain kernel for anything
 * else. Same arithmetic, element for element, as the plain kernels: +, −, ×, ÷ of two float32
 * values are exact-then-rounded either way; exp, log, tanh, sigmoid, square and (a − b)² are
 * evaluated in float64 and rounded, as JavaScript does (libm and V8 may differ in the last bit
 * of the float64 result, which rarely changes the float32).
 */

/** Size of the trailing block of `big` that `small` broadcasts along, or -1 when it does not. */
function trailingBroadcast(big: number[], small: number[]): number {
  while (small.length > 0 && small[0] === 1) small = small.slice(1);
  if (small.length > big.length) return -1;
  const offset = big.length - small.length;
  let size = 1;
  for (let i = 0; i < small.length; i++) {
    if (small[i] !== big[offset + i]) return -1;
    size *= small[i]!;
  }
  return size;
}

/**
 * How many consecutive elements of `big` each element of `small` stands for when `small` is
 * `big` with its trailing axes set to 1 (e.g. [32, 1] against [32, 10]: 10), or -1 when it is not.
 */
function leadingBroadcast(big: number[], small: number[]): number {
  if (small.length > big.length) return -1;
  const padded = [...new Array<number>(big.length - small.length).fill(1), ...small];
  let p = 0;
  while (p < big.length && padded[p] === big[p]) p++;
  if (p === 0 || p === big.length || padded.slice(p).some((d) => d !== 1)) return -1;
  return big.slice(p).reduce((x, d) => x * d, 1);
}

/**
 * [outer, middle, inner] when `small` is `big` with one run of middle axes set to 1 (neither the
 * leading nor the trailing ones: e.g. [B, 1, 1, C] against [B, H, W, C], the gradient of a
 * global average pool), else null.
 */
function middleBroadcast(big: number[], small: number[]): [number, number, number] | null {
  if (small.length !== big.length) return null;
  let first = 0;
  while (first < big.length && small[first] === big[first]) first++;
  let end = first;
  while (end < big.length && small[end] === 1 && big[end] !== 1) end++;
  if (first === 0 || end === first || end === big.length || small.slice(end).some((d, i) => d !== big[end + i])) return null;
  const count = (dims: number[]): number => dims.reduce((x, d) => x * d, 1);
  return [count(big.slice(0, first)), count(big.slice(first, end)), count(big.slice(end))];
}

/** Broadcast modes of the addon's binary loop (native/elementwise.c). */
export const BINARY_MODE = { Same: 0, BScalar: 1, AScalar: 2, BRow: 3, ARow: 4, BColumn: 5, AColumn: 6 } as const;
const Mode = BINARY_MODE;
type Mode = (typeof BINARY_MODE)[keyof typeof BINARY_MODE];

/**
 * A binary float32 kernel computed by the addon's vectorised loop for equal shapes, a scalar
 * operand or a trailing-axes broadcast; `fallback` (the plain CPU kernel) handles the rest.
 */
export function fastBinary(addon: OpenBlasAddon, opcode: number, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend } = args as unknown as { inputs: { a: TensorInfo; b: TensorInfo }; backend: CpuBackendLike };
    const { a, b } = inputs;
    const av = float32Data(backend, a);
    const bv = float32Data(backend, b);
    if (!av || !bv) return fallback(args);
    let outShape: number[];
    let block = 0;
    let mode: Mode;
    if (av.length === bv.length && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i])) {
      outShape = a.shape;
      mode = Mode.Same;
    } else if (bv.length === 1 && b.shape.length <= a.shape.length) {
      outShape = a.shape;
      mode = Mode.BScalar;
    } else if (av.length === 1 && a.shape.length <= b.shape.length) {
      outShape = b.shape;
      mode = Mode.AScalar;
    } else if (b.shape.length <= a.shape.length && (block = trailingBroadcast(a.shape, b.shape)) > 0) {
      outShape = a.shape;
      mode = Mode.BRow;
    } else if (a.shape.length <= b.shape.length && (block = trailingBroadcast(b.shape, a.shape)) > 0) {
      outShape = b.shape;
      mode = Mode.ARow;
    } else if (b.shape.length <= a.shape.length && (block = leadingBroadcast(a.shape, b.shape)) > 0) {
      outShape = a.shape;
      mode = Mode.BColumn;
    } else if (a.shape.length <= b.shape.length && (block = leadingBroadcast(b.shape, a.shape)) > 0) {
      outShape = b.shape;
      mode = Mode.AColumn;
    } else {
      // One operand broadcasts along a run of middle axes: a row broadcast per leading index.
      const bMiddle = middleBroadcast(a.shape, b.shape);
      const aMiddle = bMiddle ? null : middleBroadcast(b.shape, a.shape);
      const plan = bMiddle ?? aMiddle;
      if (!plan) return fallback(args);
      const [outer, middle, inner] = plan;
      const [big, small] = bMiddle ? [av, bv] : [bv, av];
      const out = outputBuffer(backend, outer * middle * inner);
      for (let o = 0; o < outer; o++) {
        const bigPart = big.subarray(o * middle * inner, (o + 1) * middle * inner);
        const smallPart = small.subarray(o * inner, (o + 1) * inner);
        const outPart = out.subarray(o * middle * inner, (o + 1) * middle * inner);
        if (bMiddle) addon.binary(opcode, Mode.BRow, bigPart, smallPart, outPart, inner);
        else addon.binary(opcode, Mode.ARow, smallPart, bigPart, outPart, inner);
      }
      return backend.makeTensorInfo((bMiddle ? a.shape : b.shape).slice(), "float32", out);
    }
    const out = outputBuffer(backend, outShape.reduce((p, d) => p * d, 1));
    if (out.length > 0) addon.binary(opcode, mode, av, bv, out, block);
    return backend.makeTensorInfo(outShape.slice(), "float32", out);
  };
}

/** A unary float32 kernel computed by the addon; `fallback` is the plain CPU kernel. */
export function fastUnary(addon: OpenBlasAddon, opcode: number, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args as unknown as { inputs: { x: TensorInfo }; backend: CpuBackendLike; attrs?: { alpha?: number } };
    const xv = float32Data(backend, inputs.x);
    if (!xv) return fallback(args);
    const out = outputBuffer(backend, xv.length);
    if (out.length > 0) addon.unary(opcode, xv, out, attrs?.alpha ?? 0);
    return backend.makeTensorInfo(inputs.x.shape.slice(), "float32", out);
  };
}

/**
 * Transpose of a float32 tensor for the two layouts training uses: a matrix ([r, c], perm [1, 0],
 * in cache-friendly blocks) and a swap of the two leading axes of a rank-3 tensor ([a, b, c] with
 * perm [1, 0, 2], batch-major to time-major and back: whole rows of c copied at once).
 */
export function fastTranspose(addon: OpenBlasAddon, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as { inputs: { x: TensorInfo }; attrs: { perm: number[] }; backend: CpuBackendLike };
    const xv = float32Data(backend, inputs.x);
    const { perm } = attrs;
    const shape = inputs.x.shape;
    if (!xv) return fallback(args);
    if (shape.length === 2 && perm[0] === 1 && perm[1] === 0) {
      const [rows, cols] = shape as [number, number];
      const out = outputBuffer(backend, xv.length);
      const B = 32;
      for (let i0 = 0; i0 < rows; i0 += B) {
        const i1 = Math.min(i0 + B, rows);
        for (let j0 = 0; j0 < cols; j0 += B) {
          const j1 = Math.min(j0 + B, cols);
          for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * rows + i] = xv[i * cols + j]!;
        }
      }
      return backend.makeTensorInfo([cols, rows], "float32", out);
    }
    if (shape.length === 3 && perm[0] === 1 && perm[1] === 0 && perm[2] === 2) {
      const [p, q, c] = shape as [number, number, number];
      const out = outputBuffer(backend, xv.length);
      if (out.length > 0) addon.swapLeadingAxes(xv, out, p, q, c);
      return backend.makeTensorInfo([q, p, c], "float32", out);
    }
    return fallback(args);
  };
}

/**
 * Sum of a float32 tensor over a set of leading axes (e.g. a bias gradient, the sum of a
 * [batch, n] tensor over axis 0) or over all axes, accumulated in float64 per output element (a C loop, `sumLeadingAxes`).
 */
export function fastSum(addon: OpenBlasAddon, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as {
      inputs: { x: TensorInfo };
      attrs: { axis: number | number[]; keepDims?: boolean };
      backend: CpuBackendLike;
    };
    const { x } = inputs;
    const xv = float32Data(backend, x);
    if (!xv) return fallback(args);
    const rank = x.shape.length;
    const axes = (Array.isArray(attrs.axis) ? attrs.axis : [attrs.axis]).map((a) => (a < 0 ? a + rank : a)).sort((p, q) => p - q);
    // Only leading axes 0..k-1 (contiguous from 0); the rest is the plain kernel's job.
    if (axes.length === 0 || axes.some((a, i) => a !== i) || new Set(axes).size !== axes.length) return fallback(args);
    const k = axes.length;
    const outer = x.shape.slice(0, k).reduce((p, d) => p * d, 1);
    const innerShape = x.shape.slice(k);
    const inner = innerShape.reduce((p, d) => p * d, 1);
    const out = outputBuffer(backend, inner);
    addon.sumLeadingAxes(xv, out, outer, inner);
    const outShape = attrs.keepDims ? [...x.shape.slice(0, k).map(() => 1), ...innerShape] : innerShape;
    return backend.makeTensorInfo(outShape, "float32", out);
  };
}

/**
 * The run of reduced axes as [outer, reduced, inner] element counts when the axes are one
 * contiguous run of the shape (e.g. [0, 1, 2] of NHWC, a BatchNorm's statistics; [1, 2], a global
 * average pool), else null.
 */
function contiguousAxes(shape: readonly number[], axis: number | number[]): [number, number, number] | null {
  const rank = shape.length;
  const axes = [...new Set((Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)))].sort((p, q) => p - q);
  if (axes.length === 0 || axes.some((a, i) => a !== axes[0]! + i || a < 0 || a >= rank)) return null;
  const count = (dims: readonly number[]): number => dims.reduce((p, d) => p * d, 1);
  const first = axes[0]!;
  const end = first + axes.length;
  return [count(shape.slice(0, first)), count(shape.slice(first, end)), count(shape.slice(end))];
}

/**
 * Mean of a float32 tensor over one contiguous run of axes (a BatchNorm's batch statistics over
 * [0, 1, 2] of NHWC; a global average pool over [1, 2]), with the plain kernel's arithmetic to
 * the bit: every element divided by the count in float32, then summed in float64 per output and
 * rounded once, in the same order. (The plain kernel transposes the reduced axes innermost
 * element by element first: 85% of a conv-network training step's kernel time at batch 32.)
 */
export function fastMean(addon: OpenBlasAddon, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as {
      inputs: { x: TensorInfo };
      attrs: { axis: number | number[]; keepDims?: boolean };
      backend: CpuBackendLike;
    };
    const { x } = inputs;
    const xv = float32Data(backend, x);
    const run = xv && xv.length > 0 ? contiguousAxes(x.shape, attrs.axis) : null;
    if (!run) return fallback(args);
    const [outer, reduced, inner] = run;
    const rank = x.shape.length;
    const reducedAxes = new Set((Array.isArray(attrs.axis) ? attrs.axis : [attrs.axis]).map((a) => (a < 0 ? a + rank : a)));
    const scaled = outputBuffer(backend, xv!.length);
    addon.binary(FAST_BINARY_OPS["RealDiv"]!, BINARY_MODE.BScalar, xv!, Float32Array.of(reduced), scaled, 0);
    const out = outputBuffer(backend, outer * inner);
    const block = reduced * inner;
    for (let o = 0; o < outer; o++) addon.sumLeadingAxes(scaled.subarray(o * block, (o + 1) * block), out.subarray(o * inner, (o + 1) * inner), reduced, inner);
    backend.pool?.release(scaled);
    const outShape = attrs.keepDims ? x.shape.map((d, i) => (reducedAxes.has(i) ? 1 : d)) : x.shape.filter((_, i) => !reducedAxes.has(i));
    return backend.makeTensorInfo(outShape, "float32", out);
  };
}

/** Binary kernels with addon loops, and their opcodes in native/dale_openblas.c (the plain CPU kernels' formulas). */
export const FAST_BINARY_OPS: Readonly<Record<string, number>> = {
  Add: 0, // a + b
  Sub: 1, // a - b
  Multiply: 2, // a * b
  RealDiv: 3, // a / b
  Maximum: 4, // Math.max(a, b), NaN if either is NaN
  Minimum: 5, // Math.min(a, b)
  SquaredDifference: 6, // (a - b)², in float64
};

/** Unary kernels with addon loops, and their opcodes. */
export const FAST_UNARY_OPS: Readonly<Record<string, number>> = {
  Relu: 0, // Math.max(0, x)
  Relu6: 1, // Math.min(Math.max(0, x), 6)
  Step: 2, // x > 0 ? 1 : alpha (NaN stays NaN)
  Neg: 3,
  Abs: 4,
  Exp: 5, // in float64, rounded to float32, as Math.exp
  Log: 6,
  Sqrt: 7,
  Square: 8,
  Sigmoid: 9, // 1 / (1 + exp(-x))
  Tanh: 10,
};
