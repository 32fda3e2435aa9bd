import { add, sub, zeros, type Tensor1D, type Tensor4D } from "@tensorflow/tfjs-core";
import { formatShape } from "@dale-nn/core";
import { separableConv3x3, type SeparableKernel } from "../separable-conv.js";
import type { KernelConstraint } from "../kernel-constraint.js";
import type { ConvBatchNormSteps } from "../conv-batch-norm.js";

/** Checks that a kernel maps `cin` to `cout` channels, naming the connection. @internal */
export function checkKernel(context: string, name: string, kernel: SeparableKernel | undefined, cin: number, cout: number): void {
  if (!kernel) throw new TypeError(`${context}: missing kernel ${name}`);
  const d = kernel.depthwise.shape;
  const p = kernel.pointwise.shape;
  if (d.length !== 4 || d[0] !== 3 || d[1] !== 3 || d[2] !== cin || d[3] !== 1) {
    throw new RangeError(`${context}: ${name}.depthwise must have shape [3, 3, ${cin}, 1]; got ${formatShape(d)}`);
  }
  if (p.length !== 4 || p[0] !== 1 || p[1] !== 1 || p[2] !== cin || p[3] !== cout) {
    throw new RangeError(`${context}: ${name}.pointwise must have shape [1, 1, ${cin}, ${cout}]; got ${formatShape(p)}`);
  }
}

/** Checks that a per-channel vector has `n` entries. @internal */
export function checkVector(context: string, name: string, v: Tensor1D | undefined, n: number): void {
  if (!v) throw new TypeError(`${context}: missing ${name}`);
  if (v.rank !== 1 || v.shape[0] !== n) throw new RangeError(`${context}: ${name} must have shape [${n}]; got ${formatShape(v.shape)}`);
}

/** Checks that an input or state is [B, H, W, c]. @internal */
export function checkImage(context: string, name: string, x: Tensor4D | undefined, c: number, like?: Tensor4D): void {
  if (!x) throw new TypeError(`${context}: missing ${name}`);
  if (x.rank !== 4 || x.shape[3] !== c) throw new RangeError(`${context}: ${name} must be [batch, H, W, ${c > 0 ? c : "C"}]; got shape ${formatShape(x.shape)}`);
  if (like && (x.shape[0] !== like.shape[0] || x.shape[1] !== like.shape[1] || x.shape[2] !== like.shape[2])) {
    throw new RangeError(`${context}: ${name} must have the input's batch and image size ${formatShape(like.shape.slice(0, 3))}; got ${formatShape(x.shape)}`);
  }
}

/** The inputs of an unroll: one tensor per step (a static input is repeated `timeSteps` times). @internal */
export function stepInputs(context: string, input: Tensor4D | readonly Tensor4D[], timeSteps: number | undefined): { inputs: readonly Tensor4D[]; isStatic: boolean } {
  if (Array.isArray(input)) {
    const list = input as readonly Tensor4D[];
    if (list.length < 1) throw new RangeError(`${context}: the input sequence must have at least one step; got 0`);
    if (timeSteps !== undefined && timeSteps !== list.length) {
      throw new RangeError(`${context}: timeSteps is ${timeSteps} but the input sequence has ${list.length} steps`);
    }
    return { inputs: list, isStatic: false };
  }
  if (timeSteps === undefined || !Number.isInteger(timeSteps) || timeSteps < 1) {
    throw new RangeError(`${context}: a static input (fed at every step) needs timeSteps, an integer >= 1; got ${String(timeSteps)}`);
  }
  return { inputs: Array.from({ length: timeSteps }, () => input as Tensor4D), isStatic: true };
}

/** Checks the per-step BatchNorm parameters against T and the channel count. @internal */
export function checkBatchNormSteps(context: string, bn: ConvBatchNormSteps | null | undefined, steps: number, c: number): void {
  if (!bn) return;
  if (bn.steps.length !== steps) throw new RangeError(`${context}: batchNorm.steps must have one entry per time step (${steps}); got ${bn.steps.length}`);
  bn.steps.forEach((p, t) => {
    for (const k of ["gamma", "beta", "movingMean", "movingVariance"] as const) checkVector(context, `batchNorm.steps[${t}].${k}`, p[k], c);
  });
}

/** a + s · b with s = ±1 (the sign of the presynaptic population). @internal */
export function signedAdd<T extends Tensor4D>(a: T, b: T, sign: 1 | -1): T {
  return (sign > 0 ? add(a, b) : sub(a, b)) as T;
}

/** Zeros shaped like x with c channels. @internal */
export function zeroState(x: Tensor4D, c: number): Tensor4D {
  return zeros([x.shape[0], x.shape[1], x.shape[2], c]);
}

/** The convolution of the cell. @internal */
export function conv(x: Tensor4D, k: SeparableKernel, constraint: KernelConstraint): Tensor4D {
  return separableConv3x3(x, k, constraint);
}
