import { getBackend, setBackend } from "@tensorflow/tfjs-core";
import { beforeAll } from "vitest";

/**
 * Registers a vitest `beforeAll` in the current `describe` (or file) that runs
 * `await tf.setBackend(backend)` once, for suites whose tests check tensor counts themselves (or
 * share state across tests) rather than with {@link useBackendWithLeakCheck}'s per-test hooks.
 *
 * @param backend - the registered backend (import `@tensorflow/tfjs` or the backend's package). Default `"cpu"`.
 * @returns nothing.
 * @throws Error (in `beforeAll`, failing the suite) when `tf.setBackend(backend)` reports the backend
 *   could not be initialised, naming it and the backend left active.
 * @example
 * describe("startRun", () => {
 *   useBackend("cpu");
 *   it("startRun(settings) ...", async () => { ... });
 * });
 */
export function useBackend(backend = "cpu"): void {
  beforeAll(async () => {
    if (!(await setBackend(backend))) {
      throw new Error(`useBackend: tf.setBackend("${backend}") failed to initialise the backend; the active backend is "${getBackend()}"`);
    }
  });
}
