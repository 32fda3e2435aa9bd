export { registerOpenBlasBackend, OPENBLAS_KERNELS, type OpenBlasRegistration, type RegisterOpenBlasOptions } from "./register-openblas-backend.js";
export { registerOpenBlasSpectra } from "./lapack-spectra.js";
export { loadOpenBlasAddon, type AddonStatus, type OpenBlasAddon } from "./load-addon.js";
