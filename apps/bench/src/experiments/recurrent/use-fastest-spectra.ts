import { loadOpenBlas } from "../../load-openblas.js";

/** Routes spectra's eigenvalues / singular values through LAPACK when @dale-nn/openblas is built; logs which. */
export async function useFastestSpectra(log: (line: string) => void): Promise<void> {
  const blas = await loadOpenBlas();
  log(typeof blas === "string" ? `spectra: JavaScript solvers (${blas})` : blas.registerOpenBlasSpectra().notice);
}
