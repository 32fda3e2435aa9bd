import { disposeVariables, memory } from "@tensorflow/tfjs-core";
import { afterEach, beforeEach, expect } from "vitest";
import type { LeakCheck, LeakCheckOptions } from "../use-leak-check.js";

/**
 * Registers, in the current suite, one `beforeEach` that runs `setUp` (when given) and then
 * records `tf.memory().numTensors`, and one `afterEach` that runs the options' clean-up and
 * expects the count to be back where it was. One hook each way, so that the backend is always
 * set before the count is taken whatever the hook order.
 */
export function registerLeakCheck(setUp: (() => Promise<void>) | null, options: LeakCheckOptions): LeakCheck {
  let before = 0;
  beforeEach(async () => {
    if (setUp) await setUp();
    before = memory().numTensors;
  });
  afterEach(() => {
    options.cleanup?.();
    if (options.disposeVariables) disposeVariables();
    expect(memory().numTensors, "tf.memory().numTensors after the test (tensors it leaked)").toBe(before);
  });
  return {
    get before() {
      return before;
    },
  };
}
