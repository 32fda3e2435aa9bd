import type { TensorInfo } from "@tensorflow/tfjs-core";
import type { Float32BufferPool } from "./buffer-pool.js";

/** What the kernels need of the tfjs CPU backend (MathBackendCPU, or OpenBlasBackend with its pool). */
export interface CpuBackendLike {
  data: { get(dataId: object): { values?: unknown } | undefined };
  makeTensorInfo(shape: number[], dtype: "float32", values: Float32Array): TensorInfo;
  /** The output-buffer pool of OpenBlasBackend; absent on the plain CPU backend. */
  readonly pool?: Float32BufferPool;
}

/**
 * A kernel's output buffer of `length` elements: from the backend's pool when it has one (contents
 * undefined unless `zeroed`: the kernel writes every element), else a new zero-filled array.
 */
export function outputBuffer(backend: CpuBackendLike, length: number, zeroed = false): Float32Array {
  return backend.pool === undefined ? new Float32Array(length) : backend.pool.acquire(length, zeroed);
}

/** The float32 data of a tensor on the CPU backend, or null (other dtype, or not a Float32Array): the caller falls back. */
export function float32Data(backend: CpuBackendLike, t: TensorInfo): Float32Array | null {
  if (t.dtype !== "float32") return null;
  const values = backend.data.get(t.dataId)?.values;
  return values instanceof Float32Array ? values : null;
}

/**
 * The float32 data of a fused kernel's input.
 *
 * @throws TypeError naming the kernel, the input and its dtype when it is not float32
 */
export function requireFloat32(backend: CpuBackendLike, t: TensorInfo, name: string, kernel: string): Float32Array {
  const values = float32Data(backend, t);
  if (values === null) throw new TypeError(`${kernel}: ${name} must be float32; got ${t.dtype}`);
  return values;
}
