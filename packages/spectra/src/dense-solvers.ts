/**
 * Replaceable values-only dense solvers (for example LAPACK through `@dale-nn/openblas` in Node).
 *
 * `spectra` computes eigenvalues and singular values with its own JavaScript solvers, which run
 * everywhere (browsers included). A native package can register faster ones; every public function
 * ({@link eigenvalues}, {@link singularValues}, {@link spectralRadius}, {@link normalisedSvdEntropy},
 * …) then uses them. Inputs are validated before a solver sees them (square, finite, non-empty).
 */
export interface DenseSolvers {
  /** Shown by {@link activeDenseSolvers}, e.g. "OpenBLAS 0.3.21 LAPACK". */
  name: string;
  /** Eigenvalues (any order) of a row-major n x n matrix; must not modify `data`. */
  eigenvalues?(data: Float64Array, n: number): { re: Float64Array; im: Float64Array };
  /** Singular values (any order) of a row-major rows x cols matrix; must not modify `data`. */
  singularValues?(data: Float64Array, rows: number, cols: number): Float64Array;
}

// One registry for the ESM and CJS builds of this package.
const REGISTRY_KEY = Symbol.for("@dale-nn/spectra/dense-solvers");
type Registry = { solvers: DenseSolvers | null };
function registry(): Registry {
  const g = globalThis as unknown as Record<symbol, Registry | undefined>;
  return (g[REGISTRY_KEY] ??= { solvers: null });
}

/**
 * Makes `spectra` use other eigenvalue / singular-value solvers (pass `null` to go back to the
 * built-in JavaScript ones).
 *
 * @param solvers - the solvers, or null
 * @throws TypeError when `solvers` has no name or provides neither function
 * @example
 * registerDenseSolvers({ name: "mine", singularValues: (data, rows, cols) => mySvd(data, rows, cols) });
 */
export function registerDenseSolvers(solvers: DenseSolvers | null): void {
  if (solvers !== null) {
    if (typeof solvers !== "object" || typeof solvers.name !== "string" || solvers.name === "") {
      throw new TypeError(`registerDenseSolvers: expected { name, eigenvalues?, singularValues? } or null; got ${String(solvers)}`);
    }
    if (typeof solvers.eigenvalues !== "function" && typeof solvers.singularValues !== "function") {
      throw new TypeError(`registerDenseSolvers: "${solvers.name}" provides neither eigenvalues nor singularValues`);
    }
  }
  registry().solvers = solvers;
}

/** The name of the solvers in use: "javascript" or the registered name. */
export function activeDenseSolvers(): string {
  return registry().solvers?.name ?? "javascript";
}

/** @internal the registered solvers, if any. */
export function registeredDenseSolvers(): DenseSolvers | null {
  return registry().solvers;
}
