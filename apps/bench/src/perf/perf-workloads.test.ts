import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackend } from "@dale-nn/test-support";
import { buildOurWorkload, TRAINING_WORKLOADS } from "./perf-workloads.js";

describe("buildOurWorkload", () => {
  useBackend("cpu");

  it.each(TRAINING_WORKLOADS)("buildOurWorkload('%s', 4): each step keeps the tensor count, dispose frees everything", (workload) => {
    const start = tf.memory().numTensors;
    const w = buildOurWorkload(workload, 4);
    w.step();
    const afterOne = tf.memory().numTensors;
    w.step();
    w.step();
    expect(tf.memory().numTensors).toBe(afterOne);
    w.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});
