import { registerDenseSolvers, type DenseSolvers } from "@dale-nn/spectra";
import { loadOpenBlasAddon, type OpenBlasAddon } from "./load-addon.js";

function lapackSolvers(addon: OpenBlasAddon): DenseSolvers {
  return {
    name: `LAPACK (${addon.config().split(" ").slice(0, 2).join(" ")})`,
    eigenvalues(data, n) {
      const work = Float64Array.from(data);
      const re = new Float64Array(n);
      const im = new Float64Array(n);
      const info = addon.eigenvalues(work, n, re, im);
      if (info !== 0) {
        throw new Error(`eigenvalues: LAPACK dgeev failed with info ${info} on a ${n} x ${n} matrix (${info > 0 ? "the QR algorithm did not converge" : "illegal argument"})`);
      }
      return { re, im };
    },
    singularValues(data, rows, cols) {
      const work = Float64Array.from(data);
      const s = new Float64Array(Math.min(rows, cols));
      const info = addon.singularValues(work, rows, cols, s);
      if (info !== 0) {
        throw new Error(`singularValues: LAPACK dgesdd failed with info ${info} on a ${rows} x ${cols} matrix (${info > 0 ? "did not converge" : "illegal argument"})`);
      }
      return s;
    },
  };
}

/**
 * Makes `@dale-nn/spectra` compute eigenvalues (LAPACK dgeev) and singular values (dgesdd) with
 * the LAPACK inside OpenBLAS, when the addon is built. Values only, in float64, like the
 * JavaScript solvers they replace; `registerDenseSolvers(null)` from spectra switches back.
 *
 * @returns `{ registered, notice }`; registered is false (and spectra unchanged) without the addon
 * @example
 * console.log(registerOpenBlasSpectra().notice);
 * spectralRadius(w); // now through LAPACK
 */
export function registerOpenBlasSpectra(): { registered: boolean; notice: string } {
  const status = loadOpenBlasAddon();
  if (!status.available) return { registered: false, notice: `spectra: LAPACK unavailable (${status.reason}); using the JavaScript solvers` };
  const solvers = lapackSolvers(status.addon);
  registerDenseSolvers(solvers);
  return { registered: true, notice: `spectra: eigenvalues and singular values by ${solvers.name}` };
}
