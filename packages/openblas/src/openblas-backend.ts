import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { backend_util, DataId, KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import { Float32BufferPool } from "./buffer-pool.js";

/** Default bytes the OpenBLAS backend keeps idle for reuse. */
export const DEFAULT_BUFFER_POOL_BYTES = 256 * 1024 * 1024;

/**
 * The OpenBLAS backend's tensor storage: tfjs's CPU backend, with the output buffers of this
 * package's kernels recycled through a {@link Float32BufferPool}.
 *
 * - When a tensor's data is freed (its last tensor disposed), a pooled buffer goes back to the pool.
 * - `readSync` / `read` (so `dataSync`, `data`, `array`, `bufferSync`) return a copy of a pooled
 *   buffer, never the buffer itself, so an array a user holds is never overwritten by a later
 *   kernel or an in-place optimiser step. (tfjs's CPU backend returns its own array.)
 * - {@link guardAliasedOutputs} disowns a pooled buffer that a kernel output views under another
 *   tensor (tfjs's `Slice` returns a `subarray`), so shared memory is never reused.
 */
export class OpenBlasBackend extends MathBackendCPU {
  readonly pool: Float32BufferPool;

  /**
   * @param poolBytes - bytes kept idle for reuse; 0 turns pooling off
   * @param poison - fill reused buffers with NaN first (tests: a kernel that leaves an output
   *   element unwritten then shows up as NaN instead of a stale value)
   */
  constructor(poolBytes: number = DEFAULT_BUFFER_POOL_BYTES, poison = false) {
    super();
    this.pool = new Float32BufferPool(poolBytes, poison);
  }

  override readSync(dataId: DataId): backend_util.BackendValues {
    const values = super.readSync(dataId);
    return values instanceof Float32Array && this.pool.owns(values) ? values.slice() : values;
  }

  override read(dataId: DataId): Promise<backend_util.BackendValues> {
    return Promise.resolve(this.readSync(dataId));
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const values = this.data.get(dataId)?.values;
    const freed = super.disposeData(dataId, force);
    if (freed && values !== undefined && !this.data.has(dataId)) this.pool.release(values);
    return freed;
  }

  /**
   * Whether a weight's buffer may be overwritten in place: the pool owns it (so no host array
   * aliases it) and exactly one tensor holds it.
   */
  canUpdateInPlace(t: TensorInfo): boolean {
    return this.refCount(t.dataId) === 1 && this.pool.owns(this.data.get(t.dataId)?.values);
  }

  override dispose(): void {
    this.pool.clear();
    super.dispose();
  }
}

/**
 * Wraps a kernel so that any output whose memory is a pooled buffer of one of its inputs (a view
 * under a new tensor, as tfjs's `Slice` makes) makes the pool disown that buffer for good.
 *
 * @param kernelFunc - the kernel
 * @returns the same kernel, with the check after it
 */
export function guardAliasedOutputs(kernelFunc: KernelFunc): KernelFunc {
  return (args) => {
    const out = kernelFunc(args);
    const backend = args.backend as unknown as OpenBlasBackend;
    const pool = backend.pool;
    if (pool === undefined) return out;
    const outputs = Array.isArray(out) ? out : [out];
    for (const o of outputs) {
      const values = backend.data.get(o.dataId)?.values;
      if (!(values instanceof Float32Array) || !pool.ownsMemory(values.buffer)) continue;
      if (!pool.owns(values)) {
        pool.disown(values.buffer);
        continue;
      }
      for (const input of Object.values(args.inputs)) {
        if (input === undefined || input.dataId === o.dataId) continue;
        const inValues = backend.data.get(input.dataId)?.values;
        if (inValues instanceof Float32Array && inValues.buffer === values.buffer) pool.disown(values.buffer);
      }
    }
    return out;
  };
}
