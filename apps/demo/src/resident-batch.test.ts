import * as tf from "@tensorflow/tfjs";
import { classificationTask } from "@dale-nn/tasks";
import { describe, expect, it } from "vitest";
import { useBackend } from "@dale-nn/test-support";
import { disposeResidentBatch, isResidentBatch, residentBatch, withResidentBatches } from "./resident-batch.js";

const task = classificationTask({ numClasses: 3, inputSize: 4 });
const host = () => ({ x: Float32Array.from({ length: 12 }, (_, i) => i / 12), labels: Int32Array.from([2, 0, 1]), size: 3 });

describe("residentBatch", () => {
  useBackend("cpu");

  it("residentBatch(task, batch) keeps the task's tensors of a copy of the batch, and withResidentBatches(task).toTensors returns them without uploading", () => {
    const before = tf.memory().numTensors;
    const batch = host();
    const resident = residentBatch(task, batch);
    batch.x.fill(7); // iterateBatches reuses its buffers: the resident batch must not see this.
    expect(isResidentBatch(resident)).toBe(true);
    expect(isResidentBatch(host())).toBe(false);
    const wrapped = withResidentBatches(task);
    expect(wrapped.inputShape).toEqual(task.inputShape);
    const uploads = { n: 0 };
    const engine = tf.engine() as unknown as { makeTensor: (...a: unknown[]) => unknown };
    const make = engine.makeTensor;
    engine.makeTensor = function (...a: unknown[]) {
      uploads.n++;
      return make.apply(this, a);
    };
    try {
      tf.tidy(() => {
        const fromResident = wrapped.toTensors(resident);
        const fresh = task.toTensors(host());
        expect(uploads.n).toBe(2); // only the fresh batch's x and labels
        expect(fromResident.inputs.arraySync()).toEqual(fresh.inputs.arraySync());
        expect(fromResident.targets.arraySync()).toEqual([2, 0, 1]);
        const out = tf.tensor2d([[0, 0, 1], [1, 0, 0], [0, 0, 1]]);
        expect(wrapped.errorSum(out, fromResident.targets).arraySync()).toBe(1);
        expect(wrapped.loss(out, fromResident.targets).arraySync()).toBeCloseTo(task.loss(out, fresh.targets).arraySync() as number, 12);
      });
    } finally {
      engine.makeTensor = make;
      delete (engine as Partial<typeof engine>).makeTensor;
    }
    // The clones are gone with the tidy; the resident tensors stay until disposed.
    expect(resident.resident.inputs.isDisposed).toBe(false);
    disposeResidentBatch(resident);
    expect(tf.memory().numTensors).toBe(before);
  });
});
