/**
 * A pool of float32 output buffers for the OpenBLAS backend, keyed by length.
 *
 * Why: a training step of the paper MLP (784-500-500-500-10) makes about 10 MB of new
 * `Float32Array`s (every weight gradient, and every updated weight), and V8 zero-fills each one and
 * collects it later: measured here at 60-100 µs per MB, about as long as the step's non-matmul
 * kernels together. Buffers that the backend's own kernels allocated come back to the pool when
 * their tensor is disposed, and the next kernel output of the same length reuses one.
 *
 * Only buffers the pool handed out are ever taken back (`owns`), never arrays a user passed to
 * `tf.tensor`, and a buffer that any other array views (a `Slice` output sharing its memory, for
 * example) is disowned for good (`disown`), so a buffer is reused only when nothing can still see it.
 */
export class Float32BufferPool {
  private readonly free = new Map<number, Float32Array[]>();
  private readonly owned = new WeakSet<ArrayBuffer>();
  private pooledBytes = 0;
  private hits_ = 0;
  private misses_ = 0;

  /**
   * @param maxBytes - the most bytes kept idle in the pool; 0 disables pooling (every `acquire` allocates)
   * @param poison - fill a reused buffer with NaN unless `zeroed` (tests: an unwritten element shows)
   * @throws RangeError unless maxBytes is a finite number >= 0
   */
  constructor(
    readonly maxBytes: number,
    private readonly poison = false,
  ) {
    if (!Number.isFinite(maxBytes) || maxBytes < 0) throw new RangeError(`Float32BufferPool: maxBytes must be a finite number >= 0; got ${String(maxBytes)}`);
  }

  /**
   * A buffer of `length` elements: a pooled one (contents undefined: the caller writes every
   * element, or passes `zeroed`), else a new one.
   *
   * @param length - element count
   * @param zeroed - fill a reused buffer with 0 (new buffers are 0 already)
   * @returns a Float32Array the pool owns
   */
  acquire(length: number, zeroed = false): Float32Array {
    const list = this.free.get(length);
    const reused = list?.pop();
    if (reused !== undefined) {
      this.pooledBytes -= reused.byteLength;
      this.hits_++;
      if (zeroed) reused.fill(0);
      else if (this.poison) reused.fill(Number.NaN);
      return reused;
    }
    this.misses_++;
    const buffer = new Float32Array(length);
    if (this.maxBytes > 0 && length > 0) this.owned.add(buffer.buffer);
    return buffer;
  }

  /** Whether `values` is a whole buffer this pool handed out and has not disowned. */
  owns(values: unknown): boolean {
    return values instanceof Float32Array && this.owned.has(values.buffer as ArrayBuffer) && values.byteOffset === 0 && values.byteLength === values.buffer.byteLength;
  }

  /** Whether `memory` is (the memory of) a buffer this pool handed out and has not disowned. */
  ownsMemory(memory: ArrayBufferLike): boolean {
    return this.owned.has(memory as ArrayBuffer);
  }

  /** Never take this memory back (something else views it). */
  disown(buffer: ArrayBufferLike): void {
    this.owned.delete(buffer as ArrayBuffer);
  }

  /**
   * Takes a buffer back once its tensor is gone; ignored for buffers it does not own, and
   * dropped (left to the garbage collector) when the pool is full.
   */
  release(values: unknown): void {
    if (!(values instanceof Float32Array) || !this.owns(values)) return;
    if (this.pooledBytes + values.byteLength > this.maxBytes) return;
    let list = this.free.get(values.length);
    if (list === undefined) {
      list = [];
      this.free.set(values.length, list);
    }
    list.push(values);
    this.pooledBytes += values.byteLength;
  }

  /** Bytes idle in the pool, and how many acquisitions reused a buffer or allocated one. */
  stats(): { pooledBytes: number; hits: number; misses: number } {
    return { pooledBytes: this.pooledBytes, hits: this.hits_, misses: this.misses_ };
  }

  /** Drops every idle buffer. */
  clear(): void {
    this.free.clear();
    this.pooledBytes = 0;
  }
}
