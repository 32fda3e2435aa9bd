import * as tf from "@tensorflow/tfjs";
import { cpus } from "node:os";
import { daleNnVersions } from "./package-versions.js";

let backendDetails: Record<string, string> = {};

/**
 * Records what the backend chosen for this process reports about itself (e.g. `{ openblas:
 * "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64" }`, whose core name says
 * which sgemm kernels ran), for {@link runEnvironment}. Called by selectBackend.
 */
export function setBackendDetails(details: Record<string, string>): void {
  backendDetails = { ...details };
}

/**
 * Everything a run record keeps about the software and machine it ran on: Node, tfjs, the
 * @dale-nn package versions, the CPU model and the backend's own report. Two runs of the same
 * spec agree bit for bit only on the same CPU kernels, so a result that differs between
 * machines can be traced (float32 rounding in a different sgemm kernel changes a training
 * trajectory, though not its statistics).
 *
 * @example
 * runEnvironment().cpu; // "AMD EPYC 9B14"
 */
export function runEnvironment(): Record<string, string> {
  const dale = daleNnVersions();
  return {
    node: process.version,
    tfjs: tf.version.tfjs,
    "tfjs-core": tf.version["tfjs-core"] ?? "",
    // The library's version under its own name, as the first feedforward records had it.
    daleNn: dale["@dale-nn/train"] ?? "unknown",
    ...dale,
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    ...backendDetails,
  };
}
