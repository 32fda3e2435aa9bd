/**
 * Test helper (never exported from the package; other packages' tests import it by path):
 * kernels on a backend that fail when called, to prove the libraries fall back to separate ops
 * when a backend lacks a kernel or has another version of it, and call it when it has this one.
 */
import { registerKernel, unregisterKernel, type KernelConfig } from "@tensorflow/tfjs-core";

/** A kernel on `backendName` that throws "<name> must not be called". */
export function failingKernel(kernelName: string, backendName = "cpu"): KernelConfig {
  return {
    kernelName,
    backendName,
    kernelFunc: () => {
      throw new Error(`${kernelName} must not be called`);
    },
  };
}

/** Runs `body` with these kernels registered (failing ones by name, or full configs), then removes them. */
export function withKernels<T>(kernels: readonly (string | KernelConfig)[], body: () => T): T {
  const configs = kernels.map((k) => (typeof k === "string" ? failingKernel(k) : k));
  for (const c of configs) registerKernel(c);
  try {
    return body();
  } finally {
    for (const c of configs) unregisterKernel(c.kernelName, c.backendName);
  }
}
