import { getKernel, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs-core";

/** What the override needs of a backend: freeing the intermediate transposes it makes. */
interface DisposingBackend {
  disposeData(dataId: object, force?: boolean): unknown;
}

// The original BatchMatMul config per backend while the override is installed; process-wide, so
// the ESM and CJS builds (and duplicate installs) agree on whether it is installed.
const ORIGINALS_KEY = Symbol.for("@dale-nn/core/transposed-mat-mul-override");
const originals: Map<string, KernelConfig> = ((globalThis as Record<symbol, unknown>)[ORIGINALS_KEY] as Map<string, KernelConfig> | undefined) ??
  ((globalThis as Record<symbol, unknown>)[ORIGINALS_KEY] = new Map<string, KernelConfig>()) as Map<string, KernelConfig>;

/** The permutation that swaps the last two axes of a rank-`rank` tensor. */
function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

/**
 * Replaces a backend's `BatchMatMul` kernel by one that, when `transposeA` or `transposeB` is
 * set, transposes that operand explicitly with the backend's own `Transpose` kernel and calls the
 * original kernel without the flag: A Bᵀ = A · transpose(B). Same numbers up to float32
 * summation order, for matMul, dense layers and every gradient (tfjs's BatchMatMul gradient uses
 * the flags).
 *
 * Why: on tfjs-backend-wasm 4.22 a BatchMatMul with transposeA / transposeB runs several times
 * slower than the same product on a transposed copy (it dominated a profiled MLP step, 72 of
 * 76 ms). The libraries always write x Wᵀ as `matMul(x, w, false, true)` and never branch on
 * the backend; an app on wasm calls this once after the wasm backend is loaded (importing
 * `@tensorflow/tfjs-backend-wasm`), before or after `tf.setBackend("wasm")`. This function
 * imports no backend: it wraps the kernels already registered.
 *
 * Calling it again for the same backend does nothing.
 *
 * @param backendName - the backend to patch; default "wasm"
 * @returns a function that restores the original kernel
 * @throws Error naming the backend when it has no BatchMatMul or Transpose kernel registered
 * @example
 * import "@tensorflow/tfjs-backend-wasm";
 * registerWasmTransposedMatMulOverride();
 * await tf.setBackend("wasm");
 */
export function registerWasmTransposedMatMulOverride(backendName = "wasm"): () => void {
  const restore = (): void => {
    const original = originals.get(backendName);
    if (original === undefined) return;
    unregisterKernel("BatchMatMul", backendName);
    registerKernel(original);
    originals.delete(backendName);
  };
  if (originals.has(backendName)) return restore;
  const original = getKernel("BatchMatMul", backendName);
  const transposeKernel = getKernel("Transpose", backendName);
  if (original === undefined || transposeKernel === undefined) {
    throw new Error(
      `registerWasmTransposedMatMulOverride: backend ${JSON.stringify(backendName)} has no ${original === undefined ? "BatchMatMul" : "Transpose"} kernel registered; ` +
        `import its package (e.g. @tensorflow/tfjs-backend-wasm) before calling this`,
    );
  }
  const matMul = original.kernelFunc;
  const transpose = transposeKernel.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const { inputs, attrs, backend } = args;
    const transposeA = attrs?.["transposeA"] === true;
    const transposeB = attrs?.["transposeB"] === true;
    if (!transposeA && !transposeB) return matMul(args);
    const made: TensorInfo[] = [];
    const explicit = (x: TensorInfo): TensorInfo => {
      const t = transpose({ inputs: { x }, attrs: { perm: swapLastTwo(x.shape.length) }, backend }) as TensorInfo;
      made.push(t);
      return t;
    };
    const a = inputs["a"] as TensorInfo;
    const b = inputs["b"] as TensorInfo;
    try {
      return matMul({
        inputs: { a: transposeA ? explicit(a) : a, b: transposeB ? explicit(b) : b },
        attrs: { ...attrs, transposeA: false, transposeB: false },
        backend,
      });
    } finally {
      for (const t of made) (backend as DisposingBackend).disposeData(t.dataId);
    }
  };
  originals.set(backendName, original);
  unregisterKernel("BatchMatMul", backendName);
  // Keep the original's setupFunc / disposeFunc (the wasm kernels bind their wasm function there).
  registerKernel({ ...original, kernelFunc });
  return restore;
}
