import { totalmem } from "node:os";

/** The `@dale-nn/openblas` module, as its types describe it. */
export type OpenBlasModule = typeof import("@dale-nn/openblas");

let loaded: Promise<OpenBlasModule | string> | null = null;

/**
 * Loads `@dale-nn/openblas` on first use (a dynamic import, so every other dale-bench command
 * runs even when that package is not built).
 *
 * @returns the module, or a string saying why it could not be loaded
 * @example
 * const blas = await loadOpenBlas();
 * if (typeof blas !== "string") blas.registerOpenBlasBackend({ threads: 1 });
 */
export function loadOpenBlas(): Promise<OpenBlasModule | string> {
  loaded ??= import("@dale-nn/openblas").then(
    (m) => m,
    (e: unknown) => `@dale-nn/openblas failed to load (${(e as Error).message.split("\n")[0]})`,
  );
  return loaded;
}

/**
 * The OpenBLAS backend's buffer pool for dale-bench: a quarter of the machine's memory, at most
 * 4 GiB (the package's default is 256 MiB). The pool keeps freed kernel outputs for reuse; it
 * only ever holds what a training step had in use at once, so a small network keeps little.
 * Why: a step of paper 002's CIFAR-10 network at batch 128 has about 3.5 GiB of tensors alive at
 * its peak (tfjs keeps a step's activations and gradients until the step ends); with 256 MiB
 * the rest is allocated anew every step, and V8's collections of those buffers took half the
 * step (measured: 2.0 of 3.8 s; 0.5 of 2.0 s with 4 GiB).
 *
 * @returns bytes
 */
export function benchPoolBytes(): number {
  return Math.min(4 * 2 ** 30, Math.floor(totalmem() / 4));
}

/**
 * Loads `@dale-nn/openblas` and registers its backend with `threads` OpenBLAS threads and a
 * buffer pool of {@link benchPoolBytes}.
 *
 * @returns whether the backend is usable, its name and the package's one-line notice (or why it could not load)
 */
export async function registerOpenBlas(threads: number): Promise<{ registered: boolean; name: string; notice: string; openblas?: { config: string; threads: number } }> {
  const blas = await loadOpenBlas();
  if (typeof blas === "string") return { registered: false, name: "openblas", notice: blas };
  const registration = blas.registerOpenBlasBackend({ threads, bufferPoolBytes: benchPoolBytes() });
  return registration.registered ? { ...registration, notice: `${registration.notice}, buffer pool up to ${(benchPoolBytes() / 2 ** 30).toFixed(1)} GiB` } : registration;
}
