import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackend } from "@dale-nn/test-support";
import { registerOpenBlas } from "../load-openblas.js";
import { buildOurWorkload, TRAINING_WORKLOADS } from "./perf-workloads.js";

/** One workload: each step keeps the tensor count, dispose frees everything. */
function checkTensorCount(workload: (typeof TRAINING_WORKLOADS)[number], batch: number): void {
  const start = tf.memory().numTensors;
  const w = buildOurWorkload(workload, batch);
  w.step();
  const afterOne = tf.memory().numTensors;
  w.step();
  w.step();
  expect(tf.memory().numTensors).toBe(afterOne);
  w.dispose();
  expect(tf.memory().numTensors).toBe(start);
}

describe("buildOurWorkload", () => {
  useBackend("cpu");

  it.each(TRAINING_WORKLOADS.filter((w) => w !== "conv"))("buildOurWorkload('%s', 4): each step keeps the tensor count, dispose frees everything", (workload) => {
    checkTensorCount(workload, 4);
  });

  // The conv network on the plain cpu backend takes ~0.3 s per image and step (JavaScript
  // convolutions): it is checked on openblas, as perf times it.
  it("buildOurWorkload('conv', 2) on openblas: each step keeps the tensor count, dispose frees everything", async () => {
    const blas = await registerOpenBlas(1);
    if (!blas.registered) {
      expect(process.env.DALE_EXPECT_OPENBLAS, blas.notice).not.toBe("1");
      return;
    }
    await tf.setBackend(blas.name);
    try {
      checkTensorCount("conv", 2);
    } finally {
      await tf.setBackend("cpu");
    }
  }, 120_000);
});
