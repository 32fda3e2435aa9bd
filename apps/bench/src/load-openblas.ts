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
