export { registerOpenBlasBackend, OPENBLAS_KERNELS, type OpenBlasRegistration, type RegisterOpenBlasOptions } from "./register-openblas-backend.js";
export { registerOpenBlasSpectra } from "./lapack-spectra.js";
export { loadOpenBlasAddon, type AddonStatus, type OpenBlasAddon } from "./load-addon.js";
export { RELU_RNN_KERNEL, RELU_RNN_GRAD_KERNEL } from "./relu-rnn-kernels.js";
export { SGD_STEP_KERNEL } from "./sgd-step-kernel.js";
export { DANN_DENSE_KERNEL, DANN_DENSE_GRAD_KERNEL } from "./dann-dense-kernels.js";
