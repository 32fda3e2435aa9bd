import { engine, type GradConfig, type NamedAttrMap, type NamedTensorMap, type Tensor } from "@tensorflow/tfjs-core";
import { runTypedKernel } from "./typed-kernel.js";

/** The engine method `customGrad` is built on (tfjs-core 4.x; private in its typings). */
export interface KernelFuncEngine {
  runKernelFunc(invocation: {
    forwardFunc: (backend: unknown, save: (tensors: Tensor[]) => void) => Tensor;
    backwardsFunc: (dy: Tensor, saved: Tensor[]) => Record<string, () => Tensor>;
    inputs: NamedTensorMap;
  }): Tensor;
}

function kernelFuncEngine(): KernelFuncEngine | null {
  const e = engine() as unknown as Partial<KernelFuncEngine>;
  return typeof e.runKernelFunc === "function" ? (e as KernelFuncEngine) : null;
}

/**
 * Runs a multi-output kernel and returns one of its outputs, recording only that output on the
 * gradient tape; the others (a packed tensor the gradient reads, every state of a sequence of
 * which only the last is used) are saved for the backward pass as `gradConfig` says but are not
 * tape outputs.
 *
 * Why: in the backward pass tfjs gives every tape output that received no gradient a freshly
 * allocated zero tensor of its full size (engine `addTapeNode`), although the gradient
 * functions here ignore them. For the DANN layer's packed tensor (B × (2 n_E + n_I) floats) and
 * the RNN's states (T × B × n) that is megabytes of zero-filled memory per step; skipping it
 * measured 3-7% faster DANN steps at batch 32 and 256 (docs/results/perf/README.md, session 8).
 *
 * The gradient is `gradConfig.gradFunc`, called with the recorded output's dy in its place and
 * null for the others (so a gradient function must not read the dy of an unrecorded output),
 * and with the tensors it saves in its usual order (`inputsToSave`, then the outputs
 * `outputsToSave` marks). On an engine without `runKernelFunc` (not tfjs-core 4) every output is
 * recorded, as {@link runTypedKernel} does, with the same numbers.
 *
 * @param gradConfig - the kernel's registered gradient (also used for its saved-tensor lists)
 * @param outputOrder - the kernel's output names in order, for these attrs
 * @param recorded - the output to return and record
 * @param inputs - the kernel's tensors (undefined ones left out)
 * @param attrs - the kernel's attributes
 * @param e - @internal the engine (tests pass null for one without `runKernelFunc`)
 * @returns the recorded output
 * @example
 * const y = runKernelRecordingOneOutput(dannDenseV2GradConfig, ["y", "saved"], "y", inputs, attrs);
 */
export function runKernelRecordingOneOutput<Inputs extends object, Attrs extends object, Outputs extends { [K in keyof Outputs]: Tensor | undefined }>(
  gradConfig: GradConfig,
  outputOrder: readonly (keyof Outputs)[],
  recorded: keyof Outputs,
  inputs: Inputs,
  attrs: Attrs,
  e: KernelFuncEngine | null = kernelFuncEngine(),
): Tensor {
  const kernelName = gradConfig.kernelName;
  if (e === null) return runTypedKernel<Inputs, Attrs, Outputs>(kernelName, outputOrder, inputs, attrs)[recorded] as Tensor;
  const present = Object.fromEntries(Object.entries(inputs).filter(([, t]) => t !== undefined)) as NamedTensorMap;
  const inputsToSave = gradConfig.inputsToSave ?? [];
  const outputsToSave = gradConfig.outputsToSave ?? [];
  return e.runKernelFunc({
    inputs: present,
    // Run inside the engine's kernel scope: the inner kernel call is not recorded, and the
    // outputs not returned are disposed when it ends (their saved clones live on).
    forwardFunc: (_backend, save) => {
      const out = runTypedKernel<Inputs, Attrs, Outputs>(kernelName, outputOrder, inputs, attrs);
      const savedOutputs = outputOrder.filter((_, i) => outputsToSave[i] === true).map((k) => out[k] as Tensor);
      save([...inputsToSave.map((name) => present[name]!), ...savedOutputs]);
      return out[recorded] as Tensor;
    },
    backwardsFunc: (dy, saved) => {
      const dys = outputOrder.map((k) => (k === recorded ? dy : null)) as Tensor[];
      return gradConfig.gradFunc(dys.length === 1 ? dys[0]! : dys, saved, attrs as unknown as NamedAttrMap) as Record<string, () => Tensor>;
    },
  });
}
