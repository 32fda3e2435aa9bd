import {
  engine,
  getBackend,
  getKernel,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type NamedTensorMap,
  type Tensor,
  type TensorInfo,
} from "@tensorflow/tfjs-core";

/** What a backend's implementation of a kernel contract receives: typed inputs and attrs. */
export interface TypedKernelArgs<Inputs, Attrs, Backend> {
  readonly inputs: Inputs;
  readonly attrs: Attrs;
  /** The backend instance tfjs runs the kernel on (e.g. MathBackendCPU). */
  readonly backend: Backend;
}

/** A backend's implementation of a kernel contract: typed inputs and attrs in, named outputs out. */
export type TypedKernelImpl<Inputs, Attrs, Outputs, Backend> = (args: TypedKernelArgs<Inputs, Attrs, Backend>) => Outputs;

/**
 * Wraps a typed implementation as a tfjs `KernelConfig`, putting its named outputs in the
 * contract's order. With {@link runTypedKernel}, the only place where the typed contract meets
 * tfjs's untyped `NamedTensorInfoMap` / `NamedAttrMap` (tfjs-core's own kernels do the same cast
 * in each kernel file).
 *
 * @param kernelName - the versioned kernel name
 * @param backendName - the backend to register it for
 * @param outputOrder - the output names in the order the kernel returns them, or a function of
 *   the attrs giving them (a contract whose outputs depend on its attrs)
 * @param impl - the backend's implementation
 * @returns a config for `tf.registerKernel`
 * @throws Error naming the kernel and the output when the implementation leaves out one the order lists (when the kernel runs)
 * @example
 * registerKernel(typedKernelConfig(name, "mybackend", ["y"], ({ inputs }) => ({ y: inputs.x })));
 */
export function typedKernelConfig<Inputs, Attrs, Outputs extends { [K in keyof Outputs]: TensorInfo | undefined }, Backend>(
  kernelName: string,
  backendName: string,
  outputOrder: readonly (keyof Outputs)[] | ((attrs: Attrs) => readonly (keyof Outputs)[]),
  impl: TypedKernelImpl<Inputs, Attrs, Outputs, Backend>,
): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, attrs, backend }) => {
    const typedAttrs = (attrs ?? {}) as unknown as Attrs;
    const out = impl({ inputs: inputs as unknown as Inputs, attrs: typedAttrs, backend: backend as unknown as Backend });
    const order = typeof outputOrder === "function" ? outputOrder(typedAttrs) : outputOrder;
    return order.map((key) => {
      const t = out[key];
      if (t === undefined) throw new Error(`${kernelName} on ${backendName}: the implementation returned no output ${String(key)}`);
      return t as TensorInfo;
    });
  };
  return { kernelName, backendName, kernelFunc };
}

/**
 * Runs a kernel through the engine with typed inputs and attrs and names its outputs in the
 * contract's order. Inputs that are `undefined` are left out (optional inputs).
 *
 * @param kernelName - the versioned kernel name
 * @param outputOrder - the output names in the order the kernel returns them
 * @param inputs - the kernel's tensors
 * @param attrs - the kernel's attributes
 * @returns the outputs by name
 * @throws Error from tfjs when the active backend lacks the kernel (check availability first)
 * @example
 * const { y } = runTypedKernel<{ x: Tensor }, {}, { y: Tensor }>(name, ["y"], { x }, {});
 */
export function runTypedKernel<Inputs extends object, Attrs extends object, Outputs extends { [K in keyof Outputs]: Tensor | undefined }>(
  kernelName: string,
  outputOrder: readonly (keyof Outputs)[],
  inputs: Inputs,
  attrs: Attrs,
): Outputs {
  const present = Object.fromEntries(Object.entries(inputs).filter(([, t]) => t !== undefined)) as NamedTensorMap;
  const out = engine().runKernel(kernelName, present, attrs as unknown as NamedAttrMap);
  const list = Array.isArray(out) ? out : [out];
  return Object.fromEntries(outputOrder.map((key, i) => [key, list[i]])) as Outputs;
}

/**
 * Wraps a typed implementation of a kernel with a variable number of inputs and outputs (e.g. one
 * per model variable) as a tfjs `KernelConfig`: named inputs in, a list of outputs out.
 *
 * @param kernelName - the versioned kernel name
 * @param backendName - the backend to register it for
 * @param impl - the backend's implementation
 * @returns a config for `tf.registerKernel`
 * @example
 * registerKernel(typedListKernelConfig(name, "mybackend", ({ inputs }) => Object.values(inputs)));
 */
export function typedListKernelConfig<Inputs, Attrs, Backend>(
  kernelName: string,
  backendName: string,
  impl: TypedKernelImpl<Inputs, Attrs, TensorInfo[], Backend>,
): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, attrs, backend }) =>
    impl({ inputs: inputs as unknown as Inputs, attrs: (attrs ?? {}) as unknown as Attrs, backend: backend as unknown as Backend });
  return { kernelName, backendName, kernelFunc };
}

/**
 * Runs a kernel with a variable number of named inputs through the engine and returns its
 * outputs as a list (see {@link typedListKernelConfig}).
 *
 * @param kernelName - the versioned kernel name
 * @param inputs - the kernel's tensors by name
 * @param attrs - the kernel's attributes
 * @returns the outputs in the kernel's order
 * @throws Error from tfjs when the active backend lacks the kernel (check availability first)
 * @example
 * const [a, b] = runTypedListKernel(name, { x0, x1 }, {});
 */
export function runTypedListKernel<Attrs extends object>(kernelName: string, inputs: Readonly<Record<string, Tensor>>, attrs: Attrs): Tensor[] {
  const out = engine().runKernel(kernelName, inputs as NamedTensorMap, attrs as unknown as NamedAttrMap);
  return Array.isArray(out) ? out : [out];
}

/**
 * Whether a backend has registered every one of these kernels (versioned names, so a backend
 * with another version of a contract does not count).
 *
 * @param names - versioned kernel names
 * @param backendName - default: the active backend
 * @returns true when all are registered
 * @example
 * backendHasKernels([DANN_DENSE_KERNEL, DANN_DENSE_GRAD_KERNEL]);
 */
export function backendHasKernels(names: readonly string[], backendName: string = getBackend()): boolean {
  return names.every((name) => getKernel(name, backendName) !== undefined);
}
