import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildOurWorkload, TRAINING_WORKLOADS } from "./perf-workloads.js";

describe("buildOurWorkload", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

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
