import * as tf from "@tensorflow/tfjs";
import { registerOpenBlasBackend, type OpenBlasRegistration } from "../register-openblas-backend.js";
import { loadOpenBlasAddon } from "../load-addon.js";

/**
 * Registers the OpenBLAS backend for a test file. CI (.ci/run installs libopenblas-dev and sets
 * DALE_EXPECT_OPENBLAS=1) must have it: a missing addon there fails loudly instead of letting the
 * kernel tests check only the fallback.
 */
export function openBlasForTests(): OpenBlasRegistration {
  // Reused buffers are filled with NaN first, so a kernel that leaves an output element unwritten fails the tests.
  const registration = registerOpenBlasBackend({ threads: 1, poisonReusedBuffers: true });
  if (!registration.registered && process.env.DALE_EXPECT_OPENBLAS === "1") {
    throw new Error(`DALE_EXPECT_OPENBLAS=1 but ${registration.notice}`);
  }
  return registration;
}

export const addonBuilt = (): boolean => loadOpenBlasAddon().available;

/** Runs `fn` on a backend and returns its result as nested arrays (tensors disposed). */
export async function on<T>(backend: string, fn: () => tf.Tensor | tf.Tensor[]): Promise<T> {
  await tf.setBackend(backend);
  let result: unknown;
  tf.tidy(() => {
    const out = fn();
    result = Array.isArray(out) ? out.map((t) => t.arraySync()) : out.arraySync();
  });
  return result as T;
}

/** Largest |a − b| / max(1, |b|) over two equally shaped nested arrays. */
export function maxRelativeDifference(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") {
    if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return 0;
    return Math.abs(a - b) / Math.max(1, Math.abs(b));
  }
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, maxRelativeDifference(a[i], b[i]));
  return worst;
}

/**
 * Runs `fn` with these kernels taken off a backend (say version 2 of a contract, to test the
 * library's use of version 1), then registers them again, also when `fn` throws.
 */
export async function withoutKernels<T>(names: readonly string[], backendName: string, fn: () => T | Promise<T>): Promise<T> {
  const configs = names.map((name) => {
    const config = tf.getKernel(name, backendName);
    if (config === undefined) throw new Error(`withoutKernels: ${backendName} has no kernel ${name}`);
    return config;
  });
  for (const c of configs) tf.unregisterKernel(c.kernelName, c.backendName);
  try {
    return await fn();
  } finally {
    for (const c of configs) tf.registerKernel(c);
  }
}
