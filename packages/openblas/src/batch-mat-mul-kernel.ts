import type { KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import type { OpenBlasAddon } from "./load-addon.js";
import { float32Data, outputBuffer, type CpuBackendLike } from "./cpu-data.js";

export type { CpuBackendLike } from "./cpu-data.js";

/** A planned product: C (batch x m x n) = op(A) op(B), with the output shape tfjs expects. */
export interface MatMulPlan {
  a: Float32Array;
  b: Float32Array;
  batch: number;
  m: number;
  n: number;
  k: number;
  aStride: number;
  bStride: number;
  outShape: number[];
}

const product = (dims: number[]): number => dims.reduce((p, d) => p * d, 1);

/**
 * Plans C = op(A) op(B) as BatchMatMul defines it (batch dimensions broadcast, transposes as
 * flags), or returns null when the case is outside the fast path (non-float32 data, a batch
 * broadcast other than "one against many"); the caller then uses the plain CPU kernel.
 *
 * @throws Error with tfjs's wording when the inner dimensions do not match
 */
export function planMatMul(backend: CpuBackendLike, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): MatMulPlan | null {
  const aValues = float32Data(backend, a);
  const bValues = float32Data(backend, b);
  if (!aValues || !bValues || a.shape.length < 2 || b.shape.length < 2) return null;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const k = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const kb = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
  const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  if (k !== kb) {
    throw new Error(
      `Error in matMul: inner shapes (${k}) and (${kb}) of Tensors with shapes ${a.shape} and ${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`,
    );
  }
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = product(outerA);
  const batchB = product(outerB);
  const batch = Math.max(batchA, batchB);
  if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) return null;
  // Output batch dimensions: those of the operand with the full batch (numpy broadcasting of
  // "1 against many"); equal ranks broadcast per dimension.
  const rank = Math.max(outerA.length, outerB.length);
  const outer: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = outerA[outerA.length - rank + i] ?? 1;
    const db = outerB[outerB.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null; // incompatible: let tfjs raise its own error
    outer.push(Math.max(da, db));
  }
  if (product(outer) !== batch) return null;
  return {
    a: aValues,
    b: bValues,
    batch,
    m,
    n,
    k,
    aStride: batchA === 1 ? 0 : m * k,
    bStride: batchB === 1 ? 0 : k * n,
    outShape: [...outer, m, n],
  };
}

/** Runs a plan with OpenBLAS sgemm into an output buffer of the backend (its pool's, when it has one). */
export function runMatMul(addon: OpenBlasAddon, plan: MatMulPlan, transposeA: boolean, transposeB: boolean, backend: CpuBackendLike): Float32Array {
  const out = outputBuffer(backend, plan.batch * plan.m * plan.n);
  if (out.length > 0) {
    addon.sgemmBatched(plan.a, plan.b, out, plan.batch, plan.m, plan.n, plan.k, transposeA, transposeB, plan.aStride, plan.bStride);
  }
  return out;
}

/**
 * A BatchMatMul kernel for the tfjs CPU backend that calls OpenBLAS sgemm, falling back to the
 * plain kernel outside the fast path (see {@link planMatMul}).
 */
export function openBlasBatchMatMul(addon: OpenBlasAddon, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as {
      inputs: { a: TensorInfo; b: TensorInfo };
      attrs: { transposeA?: boolean; transposeB?: boolean };
      backend: CpuBackendLike;
    };
    const transposeA = attrs.transposeA === true;
    const transposeB = attrs.transposeB === true;
    const plan = planMatMul(backend, inputs.a, inputs.b, transposeA, transposeB);
    if (!plan) return fallback(args);
    return backend.makeTensorInfo(plan.outShape, "float32", runMatMul(addon, plan, transposeA, transposeB, backend));
  };
}
