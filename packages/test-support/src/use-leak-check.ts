import { registerLeakCheck } from "./internal/register-leak-check.js";

/** What {@link useLeakCheck} and {@link useBackendWithLeakCheck} do after each test, before counting. */
export interface LeakCheckOptions {
  /**
   * Call `tf.disposeVariables()` after each test, before counting: for tests that build layers or
   * models, whose variables live until disposed. Default false.
   */
  readonly disposeVariables?: boolean;
  /** Runs after each test, before the variables are disposed and the tensors counted (e.g. disposes tensors a fixture kept). */
  readonly cleanup?: () => void;
}

/** The tensor count a leak check compares with. */
export interface LeakCheck {
  /** `tf.memory().numTensors` at the start of the current test (after the backend was set). */
  readonly before: number;
}

/**
 * Registers vitest hooks in the current `describe` (or file) that assert every test leaves
 * `tf.memory().numTensors` unchanged: the count is taken before each test and compared after it
 * (`expect(numTensors).toBe(before)`), after the optional clean-up. The backend is left as it is;
 * see {@link useBackendWithLeakCheck} to set it too.
 *
 * @param options - `disposeVariables` to call `tf.disposeVariables()` first; `cleanup` to run first.
 * @returns a handle whose `before` is the count at the start of the current test, for tests that
 *   assert a count relative to it (`expect(tf.memory().numTensors).toBe(leaks.before + 2)`).
 * @throws nothing itself; a test that leaks fails in its `afterEach` with the two counts.
 * @example
 * describe("globalNorm", () => {
 *   useLeakCheck();
 *   it("globalNorm(grads) is √Σ‖g‖²", () => { ... });
 * });
 */
export function useLeakCheck(options: LeakCheckOptions = {}): LeakCheck {
  return registerLeakCheck(null, options);
}
