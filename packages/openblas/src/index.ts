export { registerOpenBlasBackend, OPENBLAS_KERNELS, type OpenBlasRegistration, type RegisterOpenBlasOptions } from "./register-openblas-backend.js";
export { registerOpenBlasSpectra } from "./lapack-spectra.js";
export { loadOpenBlasAddon, type AddonStatus, type OpenBlasAddon } from "./load-addon.js";
// The fused kernels' names are @dale-nn/core's contracts; re-exported for code that read them here.
export {
  RELU_RNN_KERNEL,
  RELU_RNN_GRAD_KERNEL,
  RELU_RNN_V2_KERNEL,
  RELU_RNN_V2_GRAD_KERNEL,
  DANN_DENSE_KERNEL,
  DANN_DENSE_GRAD_KERNEL,
  DANN_DENSE_V2_KERNEL,
  DANN_DENSE_V2_GRAD_KERNEL,
  DENSE_KERNEL,
  DENSE_GRAD_KERNEL,
  BATCH_NORM_KERNEL,
  BATCH_NORM_GRAD_KERNEL,
  SOFTMAX_CROSS_ENTROPY_KERNEL,
  PROJECTED_SGD_STEP_KERNEL,
  PROJECTED_SGD_STEP_KERNEL as SGD_STEP_KERNEL,
} from "@dale-nn/core";
export { OpenBlasBackend, DEFAULT_BUFFER_POOL_BYTES } from "./openblas-backend.js";
export { Float32BufferPool } from "./buffer-pool.js";
