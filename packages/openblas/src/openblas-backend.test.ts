import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { Float32BufferPool } from "./buffer-pool.js";
import type { OpenBlasBackend } from "./openblas-backend.js";
import { openBlasForTests } from "./test-support/backends.js";

const blas = openBlasForTests();

describe("Float32BufferPool", () => {
  it("hands a released buffer out again for the same length, and only buffers it made", () => {
    const pool = new Float32BufferPool(1024);
    const a = pool.acquire(8);
    expect(pool.owns(a)).toBe(true);
    pool.release(a);
    expect(pool.stats().pooledBytes).toBe(32);
    expect(pool.acquire(8)).toBe(a);
    expect(pool.acquire(8)).not.toBe(a); // none left: a new one
    const user = new Float32Array(8);
    pool.release(user);
    expect(pool.owns(user)).toBe(false);
    expect(pool.acquire(8)).not.toBe(user);
    expect(pool.stats()).toMatchObject({ hits: 1, misses: 3 });
  });

  it("keeps at most maxBytes idle; a disowned or viewed buffer never comes back; zeroed and poison fill reused buffers", () => {
    const pool = new Float32BufferPool(40, true);
    const [a, b] = [pool.acquire(8), pool.acquire(8)];
    pool.release(a);
    pool.release(b); // 64 bytes > 40: dropped
    expect(pool.stats().pooledBytes).toBe(32);
    const again = pool.acquire(8);
    expect(again).toBe(a);
    expect(Number.isNaN(again[0]!)).toBe(true);
    pool.release(again);
    expect(Array.from(pool.acquire(8, true))).toEqual(new Array(8).fill(0));
    pool.disown(a.buffer);
    pool.release(a);
    expect(pool.stats().pooledBytes).toBe(0);
    const c = pool.acquire(4);
    pool.release(c.subarray(1));
    expect(pool.stats().pooledBytes).toBe(0);
    expect(() => new Float32BufferPool(-1)).toThrow(/maxBytes must be a finite number >= 0; got -1/);
    const off = new Float32BufferPool(0);
    const d = off.acquire(4);
    off.release(d);
    expect(off.owns(d)).toBe(false);
  });
});

if (!blas.registered) {
  describe("OpenBlasBackend without the addon", () => {
    it("is reported unavailable", () => expect(blas.notice).toMatch(/^OpenBLAS backend unavailable: /));
  });
} else {
  describe("OpenBlasBackend: pooled output buffers", () => {
    it("reuses a disposed kernel output's buffer, and never lets a user's array see a later result", async () => {
      await tf.setBackend(blas.name);
      const backend = tf.backend() as OpenBlasBackend;
      const before = tf.memory().numTensors;
      const a = tf.tidy(() => tf.matMul(tf.ones([3, 4]), tf.ones([4, 5])));
      const values = a.dataSync(); // a copy: the pool owns a's buffer
      const read = await a.data();
      const hits = backend.pool.stats().hits;
      a.dispose();
      const b = tf.tidy(() => tf.matMul(tf.fill([3, 4], 2), tf.ones([4, 5])));
      expect(backend.pool.stats().hits).toBeGreaterThan(hits);
      expect(Array.from(values)).toEqual(new Array(15).fill(4));
      expect(Array.from(read as Float32Array)).toEqual(new Array(15).fill(4));
      expect(Array.from(b.dataSync())).toEqual(new Array(15).fill(8));
      b.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });

    it("a Slice output that views a pooled buffer takes that buffer out of the pool", async () => {
      await tf.setBackend(blas.name);
      const backend = tf.backend() as OpenBlasBackend;
      const x = tf.tidy(() => tf.matMul(tf.ones([4, 2]), tf.ones([2, 3]))); // pooled
      const rows = tf.slice(x, [0, 0], [4, 3]); // tfjs's CPU Slice: a subarray of x's buffer (the whole of it here)
      const part = tf.slice(x, [1, 0], [2, 3]);
      x.dispose();
      const y = tf.tidy(() => tf.matMul(tf.fill([4, 2], 3), tf.ones([2, 3]))); // same length as x: must not get x's memory
      expect(Array.from(rows.dataSync())).toEqual(new Array(12).fill(2));
      expect(Array.from(part.dataSync())).toEqual(new Array(6).fill(2));
      expect(Array.from(y.dataSync())).toEqual(new Array(12).fill(6));
      const memory = (backend.data.get(rows.dataId)!.values as Float32Array).buffer;
      expect(backend.pool.ownsMemory(memory)).toBe(false);
      tf.dispose([rows, part, y]);
    });

    it("an array given to tf.tensor is never reused for an output", async () => {
      await tf.setBackend(blas.name);
      const mine = new Float32Array([1, 2, 3, 4, 5, 6]);
      const t = tf.tensor2d(mine, [2, 3]);
      t.dispose();
      const out = tf.tidy(() => tf.matMul(tf.ones([2, 1]), tf.ones([1, 3])));
      expect(Array.from(mine)).toEqual([1, 2, 3, 4, 5, 6]);
      out.dispose();
    });

    it("bad bufferPoolBytes: one line", async () => {
      const { registerOpenBlasBackend } = await import("./register-openblas-backend.js");
      expect(() => registerOpenBlasBackend({ name: "openblas-bad", bufferPoolBytes: -5 })).toThrow(/bufferPoolBytes must be a finite number >= 0; got -5/);
    });
  });
}
