import * as tf from "@tensorflow/tfjs";
import { registerWasmTransposedMatMulOverride } from "@dale-nn/core";
import { UserError } from "./user-error.js";
import { loadOpenBlas, registerOpenBlas } from "./load-openblas.js";
import { setBackendDetails } from "./runner/run-environment.js";

/** Backends dale-bench can run on. */
export type BackendChoice = "auto" | "tensorflow" | "openblas" | "wasm" | "cpu";
export const BACKEND_CHOICES: readonly BackendChoice[] = ["auto", "tensorflow", "openblas", "wasm", "cpu"];

/** Native TensorFlow bindings, fastest first. They cannot be installed on every machine. */
const NATIVE_PACKAGES = ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"] as const;

async function tryImport(name: string): Promise<boolean> {
  try {
    await import(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * Picks and initialises a tfjs backend. `auto` tries `@tensorflow/tfjs-node-gpu`, then
 * `@tensorflow/tfjs-node` (loaded dynamically when installed; they register the "tensorflow"
 * backend), then the OpenBLAS backend of `@dale-nn/openblas` (when its addon was built against
 * libopenblas-dev; OpenBLAS runs on one thread unless OPENBLAS_NUM_THREADS says otherwise), then
 * WebAssembly, then the plain JavaScript CPU backend. Where OpenBLAS is used, spectra's
 * eigenvalues and singular values also go through its LAPACK.
 *
 * @returns the backend name and a one-line description of the choice
 * @throws UserError for an unknown name, or when an explicitly requested backend is unavailable
 */
export async function selectBackend(choice: string): Promise<{ backend: string; description: string }> {
  if (!BACKEND_CHOICES.includes(choice as BackendChoice)) {
    throw new UserError(`unknown --backend ${JSON.stringify(choice)}; expected one of ${BACKEND_CHOICES.join(", ")}`);
  }
  if (choice === "auto" || choice === "tensorflow") {
    for (const pkg of NATIVE_PACKAGES) {
      if ((await tryImport(pkg)) && (await tf.setBackend("tensorflow"))) {
        await tf.ready();
        return { backend: "tensorflow", description: `tensorflow (native bindings from ${pkg})` };
      }
    }
    if (choice === "tensorflow") {
      throw new UserError(
        "--backend tensorflow needs @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu 4.22 (npm install @tensorflow/tfjs-node; its install downloads libtensorflow, which fails on machines without internet access); use --backend wasm",
      );
    }
  }
  let openblasNotice = "";
  if (choice === "auto" || choice === "openblas") {
    const threads = Number(process.env.OPENBLAS_NUM_THREADS ?? "1");
    const registration = await registerOpenBlas(Number.isInteger(threads) && threads >= 1 ? threads : 1);
    if (registration.registered && (await tf.setBackend(registration.name))) {
      await tf.ready();
      if (registration.openblas) setBackendDetails({ openblas: registration.openblas.config, openblasThreads: String(registration.openblas.threads) });
      const blas = await loadOpenBlas();
      if (typeof blas !== "string") blas.registerOpenBlasSpectra();
      return { backend: registration.name, description: registration.notice };
    }
    if (choice === "openblas") throw new UserError(`--backend openblas: ${registration.notice}`);
    openblasNotice = `; ${registration.notice}`;
  }
  if (choice === "auto" || choice === "wasm") {
    const loaded = await tryImport("@tensorflow/tfjs-backend-wasm");
    if (loaded && (await tf.setBackend("wasm").catch(() => false))) {
      await tf.ready();
      // wasm's transposed matMul is ~4x slower than a product on explicit transposes (REFERENCE-NOTES).
      registerWasmTransposedMatMulOverride();
      return { backend: "wasm", description: `wasm (WebAssembly SIMD, single thread; native TensorFlow bindings not installed${openblasNotice})` };
    }
    if (choice === "wasm") throw new UserError("--backend wasm: @tensorflow/tfjs-backend-wasm failed to load or initialise");
  }
  await tf.setBackend("cpu");
  await tf.ready();
  return { backend: "cpu", description: "cpu (plain JavaScript; slowest)" };
}
