import type { TensorInfo } from "@tensorflow/tfjs-core";

/** What the kernels need of the tfjs CPU backend (MathBackendCPU). */
export interface CpuBackendLike {
  data: { get(dataId: object): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: "float32", values: Float32Array): TensorInfo;
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
