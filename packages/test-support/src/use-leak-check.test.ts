import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { useLeakCheck } from "./use-leak-check.js";

describe("useLeakCheck()", () => {
  const leaks = useLeakCheck();

  it("useLeakCheck() passes a test that disposes what it makes; leaks.before is the count at its start", () => {
    expect(tf.memory().numTensors).toBe(leaks.before);
    const x = tf.tensor1d([1, 2, 3]);
    expect(tf.memory().numTensors).toBe(leaks.before + 1);
    x.dispose();
  });

  it.fails("useLeakCheck() fails a test that leaves a tensor behind (this test leaks one on purpose)", () => {
    tf.tensor1d([1]);
  });
});

describe("useLeakCheck({ cleanup })", () => {
  let kept: tf.Tensor[] = [];
  useLeakCheck({ cleanup: () => { tf.dispose(kept); kept = []; } });

  it("useLeakCheck({ cleanup }) runs the clean-up before counting", () => {
    kept.push(tf.scalar(1), tf.scalar(2));
  });
});

describe("useLeakCheck({ disposeVariables: true })", () => {
  useLeakCheck({ disposeVariables: true });

  it("useLeakCheck({ disposeVariables: true }) disposes the variables a test left before counting", () => {
    tf.tidy(() => tf.variable(tf.zeros([2, 2])));
  });
});
