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
 * Loads `@dale-nn/openblas` and registers its backend with `threads` OpenBLAS threads.
 *
 * @returns whether the backend is usable, its name and the package's one-line notice (or why it could not load)
 */
export async function registerOpenBlas(threads: number): Promise<{ registered: boolean; name: string; notice: string }> {
  const blas = await loadOpenBlas();
  if (typeof blas === "string") return { registered: false, name: "openblas", notice: blas };
  return blas.registerOpenBlasBackend({ threads });
}
