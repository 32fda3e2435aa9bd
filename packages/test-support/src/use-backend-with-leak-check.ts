import { getBackend, setBackend } from "@tensorflow/tfjs-core";
import { registerLeakCheck } from "./internal/register-leak-check.js";
import type { LeakCheck, LeakCheckOptions } from "./use-leak-check.js";

/**
 * Registers vitest hooks in the current `describe` (or file): before each test,
 * `await tf.setBackend(backend)` and record `tf.memory().numTensors`; after it, run the optional
 * clean-up and expect the count unchanged. This is the set-up the project's tests share
 * (DESIGN.md: every test that makes tensors asserts that the count is unchanged afterwards).
 *
 * The backend must already be registered: import `@tensorflow/tfjs` (or the backend's package) in
 * the test file; this module imports only `@tensorflow/tfjs-core`.
 *
 * @param backend - the registered backend to run each test on. Default `"cpu"`.
 * @param options - `disposeVariables` to call `tf.disposeVariables()` before counting; `cleanup` to run before that.
 * @returns a handle whose `before` is the count at the start of the current test.
 * @throws Error (in `beforeEach`, failing the test) when `tf.setBackend(backend)` reports the
 *   backend could not be initialised, naming it and the backend left active.
 * @example
 * describe("dense layers", () => {
 *   useBackendWithLeakCheck("cpu", { disposeVariables: true });
 *   it("new DannDense({units}) ...", () => { ... });
 * });
 */
export function useBackendWithLeakCheck(backend = "cpu", options: LeakCheckOptions = {}): LeakCheck {
  return registerLeakCheck(async () => {
    if (!(await setBackend(backend))) {
      throw new Error(`useBackendWithLeakCheck: tf.setBackend("${backend}") failed to initialise the backend; the active backend is "${getBackend()}"`);
    }
  }, options);
}
