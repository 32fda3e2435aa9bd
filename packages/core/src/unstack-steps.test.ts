import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { unstackSteps } from "./unstack-steps.js";

describe("unstackSteps", () => {
  useBackendWithLeakCheck("cpu");

  it("equals tf.unstack along any axis, and its gradient is right for one slice (where tf.unstack's throws)", () => {
    const x = tf.tensor3d([1, 2, 3, 4, 5, 6], [1, 2, 3]);
    const loss = (f: (t: tf.Tensor) => tf.Tensor[]) => (t: tf.Tensor) => tf.addN(f(t).map((s, i) => tf.mul(s, i + 1).sum())) as tf.Scalar;
    // (tf.unstack in its place throws "Argument tensors passed to stack must be a `Tensor[]`" in tfjs 4.22.)
    const g = tf.tidy(() => tf.grad(loss((t) => unstackSteps(t, 0)))(x));
    expect(g.arraySync()).toEqual([[[1, 1, 1], [1, 1, 1]]]);
    const y = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 2, 3]);
    for (const axis of [0, 1, 2, -1]) {
      const ours = unstackSteps(y, axis);
      const theirs = tf.unstack(y, axis);
      expect(ours.map((t) => t.arraySync())).toEqual(theirs.map((t) => t.arraySync()));
      tf.dispose([...ours, ...theirs]);
    }
    const one = unstackSteps(x, -1);
    expect(one.map((t) => t.shape)).toEqual([[1, 2], [1, 2], [1, 2]]);
    tf.dispose([x, y, g, ...one]);
  });
});
