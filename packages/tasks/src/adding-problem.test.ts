import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { fullView, iterateBatches } from "@dale-nn/datasets";
import { addingProblem, addingProblemInputMean, addingProblemSplits } from "./adding-problem.js";
import { regressionTask } from "./regression-task.js";

describe("adding problem", () => {
  useBackendWithLeakCheck("cpu");

  it("addingProblem({count, seed}) marks exactly one step in each half and targets the sum of the marked values", () => {
    const T = 20;
    const s = addingProblem({ count: 500, seed: 0 });
    expect(s.features).toBe(40);
    for (let i = 0; i < s.count; i++) {
      const marks: number[] = [];
      let sum = 0;
      for (let t = 0; t < T; t++) {
        const v = s.images[(i * T + t) * 2]!;
        expect(v >= 0 && v < 1).toBe(true);
        if (s.images[(i * T + t) * 2 + 1] === 1) { marks.push(t); sum += v; }
      }
      expect(marks).toHaveLength(2);
      expect(marks[0]!).toBeLessThan(10);
      expect(marks[1]!).toBeGreaterThanOrEqual(10);
      expect(s.targets![i]).toBeCloseTo(sum, 6);
    }
    // Predicting 1 gives MSE ≈ Var(U1 + U2) = 1/6.
    let mse = 0;
    for (const y of s.targets!) mse += (y - 1) ** 2;
    expect(mse / s.count).toBeCloseTo(1 / 6, 1);
  });

  it("addingProblemSplits({seed}) gives 8000 / 1000 / 1000 reproducible, distinct splits", () => {
    const a = addingProblemSplits({ seed: 4 });
    const b = addingProblemSplits({ seed: 4 });
    expect([a.train.count, a.validation.count, a.test.count]).toEqual([8000, 1000, 1000]);
    expect(a.train.images).toEqual(b.train.images);
    expect(a.test.images.subarray(0, 40)).not.toEqual(a.validation.images.subarray(0, 40));
  });

  it("regressionTask on adding-problem batches gives [batch, 20, 2] inputs and the MSE", () => {
    const split = addingProblem({ count: 10, seed: 1 });
    const task = regressionTask({ inputSize: 40, inputShape: [20, 2] });
    const batch = iterateBatches(fullView(split), { batchSize: 4, shuffle: false }).next().value!;
    const { inputs, targets } = task.toTensors(batch);
    expect(inputs.shape).toEqual([4, 20, 2]);
    expect(Array.from(targets.dataSync())).toEqual(Array.from(split.targets!.subarray(0, 4)));
    const ones = tf.ones([4, 1]);
    const loss = task.loss(ones, targets);
    const err = task.errorSum(ones, targets);
    const expected = Array.from(split.targets!.subarray(0, 4)).reduce((a, y) => a + (y - 1) ** 2, 0);
    expect(loss.dataSync()[0]).toBeCloseTo(expected / 4, 5);
    expect(err.dataSync()[0]).toBeCloseTo(expected, 5);
    tf.dispose([inputs, targets, ones, loss, err]);
  });

  it("addingProblem rejects length < 2 and count < 1", () => {
    expect(() => addingProblem({ count: 10, seed: 0, length: 1 })).toThrow(/length must be an integer >= 2; got 1/);
    expect(() => addingProblem({ count: 0, seed: 0 })).toThrow(/count must be an integer >= 1; got 0/);
  });

  it("addingProblemInputMean(T) is the mean of the generated inputs over both features, 1/4 + 1/T (0.3 at T = 20)", () => {
    for (const T of [20, 5]) {
      const s = addingProblem({ count: 4000, length: T, seed: 1 });
      const mean = s.images.reduce((a, v) => a + v, 0) / s.images.length;
      // The values' mean has std sqrt(1/12 / (count T)) / 2 ≈ 0.001 at T = 20: 5 std.
      expect(Math.abs(mean - addingProblemInputMean(T))).toBeLessThan(0.005);
    }
    expect(addingProblemInputMean()).toBeCloseTo(0.3, 12);
    expect(() => addingProblemInputMean(1)).toThrow(/^addingProblemInputMean: length must be an integer >= 2; got 1$/);
  });
});
