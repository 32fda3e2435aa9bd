import { findBackendFactory, getKernel, getKernelsForBackend, registerBackend, registerKernel, type KernelConfig, type KernelFunc } from "@tensorflow/tfjs-core";
import { openBlasBatchMatMul } from "./batch-mat-mul-kernel.js";
import { openBlasFusedMatMul } from "./fused-mat-mul-kernel.js";
import { loadOpenBlasAddon, type OpenBlasAddon } from "./load-addon.js";
import {
  batchNormKernelConfigs,
  ctRnnKernelConfigs,
  dannDenseKernelConfigs,
  dannDenseV2KernelConfigs,
  denseKernelConfigs,
  multiTensorStepKernelConfig,
  projectedSgdStepKernelConfig,
  backoffCosineSumsKernelConfig,
  reluRnnKernelConfigs,
  reluRnnV2KernelConfigs,
  softmaxCrossEntropyKernelConfig,
} from "@dale-nn/core";
import { openBlasCtRnn, openBlasCtRnnGrad } from "./ct-rnn-kernels.js";
import { openBlasMultiTensorStep } from "./multi-tensor-step-kernel.js";
import { DEFAULT_BUFFER_POOL_BYTES, guardAliasedOutputs, OpenBlasBackend } from "./openblas-backend.js";
import { openBlasSgdStep } from "./sgd-step-kernel.js";
import { openBlasBackoffCosineSums } from "./backoff-cosine-sums-kernel.js";
import { openBlasDannDense, openBlasDannDenseGrad } from "./dann-dense-kernels.js";
import { openBlasDannDenseV2, openBlasDannDenseV2Grad } from "./dann-dense-v2-kernels.js";
import { openBlasDense, openBlasDenseGrad } from "./dense-kernels.js";
import { openBlasSoftmaxCrossEntropy } from "./softmax-cross-entropy-kernel.js";
import { openBlasReluRnn, openBlasReluRnnGrad } from "./relu-rnn-kernels.js";
import { openBlasReluRnnV2, openBlasReluRnnV2Grad } from "./relu-rnn-v2-kernels.js";
import { FAST_BINARY_OPS, FAST_UNARY_OPS, fastBinary, fastMean, fastSum, fastTranspose, fastUnary } from "./elementwise-kernels.js";
import { fastPack, fastTile, fastUnpack } from "./copy-kernels.js";
import { fastBatchNorm, openBlasBatchNormTrain, openBlasBatchNormTrainGrad } from "./batch-norm-kernel.js";
import { openBlasDepthwiseConv2d, openBlasDepthwiseConv2dBackpropFilter, openBlasDepthwiseConv2dBackpropInput, openBlasFusedDepthwiseConv2d } from "./depthwise-conv-kernels.js";
import { openBlasConv2d, openBlasConv2dBackpropFilter, openBlasConv2dBackpropInput, openBlasFusedConv2d } from "./conv2d-kernels.js";
import { openBlasMaxPool, openBlasMaxPoolGrad } from "./max-pool-kernels.js";

/** Options of {@link registerOpenBlasBackend}. */
export interface RegisterOpenBlasOptions {
  /** Backend name; default "openblas". */
  name?: string;
  /** OpenBLAS threads (>= 1); default: leave OpenBLAS's own setting (all cores, or OPENBLAS_NUM_THREADS). */
  threads?: number;
  /** tfjs backend priority; default 3, so tfjs prefers it to wasm (2) and cpu (1) when no backend is set. */
  priority?: number;
  /**
   * Bytes of freed kernel-output buffers kept for reuse (see `OpenBlasBackend`); default 256 MiB,
   * 0 turns the pool (and so the in-place optimiser step) off.
   */
  bufferPoolBytes?: number;
  /** Tests: fill reused buffers with NaN, so that a kernel leaving an element unwritten shows. Default false. */
  poisonReusedBuffers?: boolean;
}

/** The outcome of {@link registerOpenBlasBackend}. */
export interface OpenBlasRegistration {
  /** True when the backend is registered (now or by an earlier call) and its kernels use OpenBLAS. */
  registered: boolean;
  /** The backend name to pass to `tf.setBackend`. */
  name: string;
  /** One line for the user: what is in use, or why the plain CPU backend stays in use. */
  notice: string;
  /** OpenBLAS's build string and thread count, when registered. */
  openblas?: { config: string; threads: number };
}

/**
 * Convolution and pooling kernels with native NHWC fast paths (C loops, sgemm), each with the
 * factory that wraps the plain CPU kernel as its fallback.
 */
const CONV_KERNELS: ReadonlyArray<[string, (addon: OpenBlasAddon, fallback: KernelFunc) => KernelFunc]> = [
  ["DepthwiseConv2dNative", openBlasDepthwiseConv2d],
  ["DepthwiseConv2dNativeBackpropInput", openBlasDepthwiseConv2dBackpropInput],
  ["DepthwiseConv2dNativeBackpropFilter", openBlasDepthwiseConv2dBackpropFilter],
  ["FusedDepthwiseConv2D", openBlasFusedDepthwiseConv2d],
  ["Conv2D", openBlasConv2d],
  ["Conv2DBackpropInput", openBlasConv2dBackpropInput],
  ["Conv2DBackpropFilter", openBlasConv2dBackpropFilter],
  ["FusedConv2D", openBlasFusedConv2d],
  ["MaxPool", openBlasMaxPool],
  ["MaxPoolGrad", openBlasMaxPoolGrad],
];

/** Kernels replaced by OpenBLAS versions (matrix products, convolutions) or given fast float32 paths; every other kernel is the CPU backend's own. */
export const OPENBLAS_KERNELS: readonly string[] = [
  "BatchMatMul",
  "_FusedMatMul",
  "Transpose",
  "Sum",
  "Mean",
  "Unpack",
  "Pack",
  "Tile",
  "FusedBatchNorm",
  ...Object.keys(FAST_BINARY_OPS),
  ...Object.keys(FAST_UNARY_OPS),
  ...CONV_KERNELS.map(([kernelName]) => kernelName),
];

const registeredNames = new Set<string>();

/**
 * Registers a tfjs backend ("openblas") that is the plain JavaScript CPU backend with its matrix
 * products (BatchMatMul, _FusedMatMul, so matMul, dense layers and their gradients) computed by
 * OpenBLAS sgemm through a Node addon compiled at install time against Debian's libopenblas-dev.
 * Results match the CPU backend to float32 rounding (sgemm sums in a different order). NHWC
 * convolutions (regular as im2col + sgemm, 1 × 1 as one sgemm; depthwise with channel
 * multiplier 1), their gradients and max-pooling run in C, the other cases on the CPU kernels. It also
 * registers the fused kernels of @dale-nn/core's contracts (ReLU recurrence, DANN dense layer v1 and
 * v2, dense layer, training-mode BatchNorm, softmax cross-entropy, projected-SGD step), which the
 * libraries use when present.
 *
 * Never throws for a missing addon: it returns `registered: false` and a one-line notice, and the
 * caller keeps its backend. Call `tf.setBackend(name)` afterwards to use it.
 *
 * @param options - backend name, OpenBLAS threads, priority
 * @returns whether it is usable, its name and a notice line
 * @throws RangeError for threads < 1 or not an integer
 * @example
 * const blas = registerOpenBlasBackend({ threads: 1 });
 * console.log(blas.notice);
 * await tf.setBackend(blas.registered ? blas.name : "cpu");
 */
export function registerOpenBlasBackend(options: RegisterOpenBlasOptions = {}): OpenBlasRegistration {
  const name = options.name ?? "openblas";
  if (options.threads !== undefined && (!Number.isInteger(options.threads) || options.threads < 1)) {
    throw new RangeError(`registerOpenBlasBackend: threads must be an integer >= 1; got ${JSON.stringify(options.threads)}`);
  }
  const poolBytes = options.bufferPoolBytes ?? DEFAULT_BUFFER_POOL_BYTES;
  if (!Number.isFinite(poolBytes) || poolBytes < 0) {
    throw new RangeError(`registerOpenBlasBackend: bufferPoolBytes must be a finite number >= 0; got ${JSON.stringify(options.bufferPoolBytes)}`);
  }
  const status = loadOpenBlasAddon();
  if (!status.available) {
    return { registered: false, name, notice: `OpenBLAS backend unavailable: ${status.reason}; using the plain tfjs CPU kernels` };
  }
  const { addon } = status;
  if (options.threads !== undefined) addon.setThreads(options.threads);
  const openblas = { config: addon.config(), threads: addon.getThreads() };
  const notice = `${name}: tfjs CPU backend with OpenBLAS matrix products (${openblas.config.split(" ").slice(0, 2).join(" ")}, ${openblas.threads} thread${openblas.threads === 1 ? "" : "s"})`;
  if (registeredNames.has(name) || findBackendFactory(name)) {
    return { registered: true, name, notice, openblas };
  }

  const cpuKernels = getKernelsForBackend("cpu");
  if (cpuKernels.length === 0) {
    return { registered: false, name, notice: `OpenBLAS backend unavailable: the tfjs CPU backend has no kernels registered; using the plain tfjs CPU kernels` };
  }
  const poison = options.poisonReusedBuffers === true;
  registerBackend(name, () => new OpenBlasBackend(poolBytes, poison), options.priority ?? 3);
  // The CPU backend's own kernels go through the alias guard: an output that views a pooled
  // buffer of another tensor (tfjs's Slice returns a subarray) takes that buffer out of the pool.
  // This package's kernels always write new buffers (or, in place, their own input's), and skip it.
  for (const config of cpuKernels) {
    if (OPENBLAS_KERNELS.includes(config.kernelName)) continue;
    registerKernel({ ...config, backendName: name, kernelFunc: guardAliasedOutputs(config.kernelFunc) });
  }
  const register = (config: KernelConfig): void => void registerKernel(config);
  const plain = (kernelName: string): KernelFunc => {
    const config = getKernel(kernelName, "cpu");
    if (!config) throw new Error(`registerOpenBlasBackend: the tfjs CPU backend has no ${kernelName} kernel`);
    return guardAliasedOutputs(config.kernelFunc); // the fast paths' fallbacks are plain kernels too
  };
  register({ kernelName: "BatchMatMul", backendName: name, kernelFunc: openBlasBatchMatMul(addon, plain("BatchMatMul")) });
  register({ kernelName: "_FusedMatMul", backendName: name, kernelFunc: openBlasFusedMatMul(addon, plain("_FusedMatMul")) });
  register({ kernelName: "Transpose", backendName: name, kernelFunc: fastTranspose(addon, plain("Transpose")) });
  register({ kernelName: "Sum", backendName: name, kernelFunc: fastSum(addon, plain("Sum")) });
  register({ kernelName: "Mean", backendName: name, kernelFunc: fastMean(addon, plain("Mean")) });
  register({ kernelName: "Unpack", backendName: name, kernelFunc: fastUnpack(plain("Unpack")) });
  register({ kernelName: "Pack", backendName: name, kernelFunc: fastPack(plain("Pack")) });
  register({ kernelName: "Tile", backendName: name, kernelFunc: fastTile(plain("Tile")) });
  register({ kernelName: "FusedBatchNorm", backendName: name, kernelFunc: fastBatchNorm(addon, plain("FusedBatchNorm")) });
  for (const [kernelName, op] of Object.entries(FAST_BINARY_OPS)) {
    register({ kernelName, backendName: name, kernelFunc: fastBinary(addon, op, plain(kernelName)) });
  }
  for (const [kernelName, op] of Object.entries(FAST_UNARY_OPS)) {
    register({ kernelName, backendName: name, kernelFunc: fastUnary(addon, op, plain(kernelName)) });
  }
  for (const [kernelName, factory] of CONV_KERNELS) {
    register({ kernelName, backendName: name, kernelFunc: factory(addon, plain(kernelName)) });
  }
  // The fused kernels implement @dale-nn/core's contracts (versioned names, typed inputs / outputs).
  const fused = [
    ...reluRnnKernelConfigs(name, { forward: openBlasReluRnn(addon), gradient: openBlasReluRnnGrad(addon) }),
    ...reluRnnV2KernelConfigs(name, { forward: openBlasReluRnnV2(addon), gradient: openBlasReluRnnV2Grad(addon) }),
    ...ctRnnKernelConfigs(name, { forward: openBlasCtRnn(addon), gradient: openBlasCtRnnGrad(addon) }),
    ...dannDenseKernelConfigs(name, { forward: openBlasDannDense(addon), gradient: openBlasDannDenseGrad(addon) }),
    ...dannDenseV2KernelConfigs(name, { forward: openBlasDannDenseV2(addon), gradient: openBlasDannDenseV2Grad(addon) }),
    ...denseKernelConfigs(name, { forward: openBlasDense(addon), gradient: openBlasDenseGrad(addon) }),
    ...batchNormKernelConfigs(name, { forward: openBlasBatchNormTrain(addon), gradient: openBlasBatchNormTrainGrad(addon) }),
    softmaxCrossEntropyKernelConfig(name, openBlasSoftmaxCrossEntropy(addon)),
    projectedSgdStepKernelConfig(name, openBlasSgdStep(addon)),
    backoffCosineSumsKernelConfig(name, openBlasBackoffCosineSums()),
    multiTensorStepKernelConfig(name, openBlasMultiTensorStep(addon)),
  ];
  for (const config of fused) register(config);
  registeredNames.add(name);
  return { registered: true, name, notice, openblas };
}
