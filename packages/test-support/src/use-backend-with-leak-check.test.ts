import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useBackendWithLeakCheck } from "./use-backend-with-leak-check.js";

describe("useBackendWithLeakCheck()", () => {
  const leaks = useBackendWithLeakCheck();

  it("useBackendWithLeakCheck() runs each test on cpu and counts tensors from its start", () => {
    expect(tf.getBackend()).toBe("cpu");
    const x = tf.ones([3]);
    expect(tf.memory().numTensors).toBe(leaks.before + 1);
    x.dispose();
  });

  it.fails("useBackendWithLeakCheck() fails a test that leaves a tensor behind (this test leaks one on purpose)", () => {
    tf.ones([1]);
  });
});

describe("useBackendWithLeakCheck(backend that cannot initialise)", () => {
  beforeAll(() => {
    vi.spyOn(console, "warn").mockImplementation(() => {}); // tfjs warns that the backend failed to initialise
    tf.registerBackend("test-support-broken", () => {
      throw new Error("no device");
    });
  });
  afterAll(() => {
    tf.removeBackend("test-support-broken");
    vi.restoreAllMocks();
  });
  useBackendWithLeakCheck("test-support-broken");

  // The body does nothing: only the beforeEach can fail this test.
  it.fails("useBackendWithLeakCheck('test-support-broken') fails the test in beforeEach", () => {});
});
