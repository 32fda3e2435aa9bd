import { getBackend, getKernelsForBackend } from "@tensorflow/tfjs-core";

/**
 * The registered name of version `version` of a kernel family: `${family}_v${version}`. A
 * contract change (inputs, attrs, outputs or their layouts) bumps the version, so a backend built
 * for another version registers another name and the library falls back to separate ops instead
 * of calling a kernel with the wrong layout.
 *
 * @param family - the kernel family, e.g. the DANN dense family
 * @param version - an integer >= 0
 * @returns the versioned name, e.g. "…_v1"
 * @throws RangeError when the family is empty or contains "_v", or the version is not an integer >= 0
 * @example
 * versionedKernelName(DANN_DENSE_KERNEL_FAMILY, 1) === DANN_DENSE_KERNEL; // true
 */
export function versionedKernelName<F extends string, V extends number>(family: F, version: V): `${F}_v${V}` {
  if (typeof family !== "string" || family.length === 0 || family.includes("_v")) {
    throw new RangeError(`versionedKernelName: family must be a non-empty string without "_v"; got ${JSON.stringify(family)}`);
  }
  if (!Number.isInteger(version) || version < 0) {
    throw new RangeError(`versionedKernelName(${JSON.stringify(family)}): version must be an integer >= 0; got ${String(version)}`);
  }
  return `${family}_v${version}`;
}

/**
 * The versions of a kernel family a backend has registered, e.g. [0] for a backend built against
 * an older contract: for a notice saying why a fused kernel is not used.
 *
 * @param family - the kernel family
 * @param backendName - default: the active backend
 * @returns the registered versions, ascending (empty when none)
 * @example
 * registeredKernelVersions(DANN_DENSE_KERNEL_FAMILY, "openblas"); // [1]
 */
export function registeredKernelVersions(family: string, backendName: string = getBackend()): number[] {
  const prefix = `${family}_v`;
  return getKernelsForBackend(backendName)
    .map((config) => config.kernelName)
    .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
    .map((name) => Number(name.slice(prefix.length)))
    .sort((a, b) => a - b);
}
