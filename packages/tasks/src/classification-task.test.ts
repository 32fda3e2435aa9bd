import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { classificationTask } from "./classification-task.js";

describe("classificationTask", () => {
  useBackendWithLeakCheck("cpu");

  it("classificationTask({numClasses, inputSize}).toTensors(batch) uploads the first `size` rows and labels", () => {
    const task = classificationTask({ numClasses: 3, inputSize: 2 });
    const batch = { x: Float32Array.from([1, 2, 3, 4, 9, 9]), labels: Int32Array.from([2, 0, 7]), size: 2 };
    const { inputs, targets } = task.toTensors(batch);
    expect(inputs.shape).toEqual([2, 2]);
    expect(Array.from(inputs.dataSync())).toEqual([1, 2, 3, 4]);
    expect(Array.from(targets.dataSync())).toEqual([2, 0]);
    tf.dispose([inputs, targets]);
  });

  it("inputShape [28, 28] reshapes a 784-pixel row into a sequence of 28 rows", () => {
    const task = classificationTask({ numClasses: 10, inputSize: 784, inputShape: [28, 28] });
    const { inputs, targets } = task.toTensors({ x: new Float32Array(784 * 2), labels: new Int32Array(2), size: 2 });
    expect(inputs.shape).toEqual([2, 28, 28]);
    tf.dispose([inputs, targets]);
  });

  it("loss is the mean softmax cross-entropy and errorSum counts arg-max mistakes", () => {
    const task = classificationTask({ numClasses: 3, inputSize: 1 });
    const logits = tf.tensor2d([[2, 0, 0], [0, 0, 5], [1, 1, 3]]);
    const labels = tf.tensor1d([0, 1, 2], "int32");
    const loss = task.loss(logits, labels);
    const errors = task.errorSum(logits, labels);
    const lse = (r: number[]) => Math.log(r.reduce((a, v) => a + Math.exp(v), 0));
    const expected = ((lse([2, 0, 0]) - 2) + (lse([0, 0, 5]) - 0) + (lse([1, 1, 3]) - 3)) / 3;
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 5);
    expect(errors.dataSync()[0]).toBe(1);
    tf.dispose([logits, labels, loss, errors]);
  });

  it("classificationTask rejects bad sizes and a mismatched input shape, naming the value", () => {
    expect(() => classificationTask({ numClasses: 1, inputSize: 4 })).toThrow(/numClasses must be an integer >= 2; got 1/);
    expect(() => classificationTask({ numClasses: 2, inputSize: 784, inputShape: [28, 27] })).toThrow(
      /inputShape \[28, 27\] has 756 values; expected inputSize = 784/,
    );
    const task = classificationTask({ numClasses: 2, inputSize: 4 });
    expect(() => task.toTensors({ x: new Float32Array(4), labels: new Int32Array(2), size: 2 })).toThrow(/batch.x holds 4 values; expected at least size \* inputSize = 8/);
  });
});
