import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackend } from "@dale-nn/test-support";
import { counterDelta, installStepCounters } from "./step-counters.js";

describe("installStepCounters", () => {
  useBackend("cpu");

  it("installStepCounters() counts read-backs (outermost calls only), tensors and uploads, and uninstall() restores tfjs", async () => {
    const before = tf.memory().numTensors;
    const dataSync = tf.Tensor.prototype.dataSync;
    const c = installStepCounters();
    try {
      const s0 = c.snapshot();
      const t = tf.tensor1d([1, 2, 3]); // 1 upload, 1 tensor
      const u = t.add(1); // the 1 is uploaded too: 2 tensors
      u.dataSync();
      u.arraySync(); // calls dataSync inside: counted once
      await u.data();
      await u.array();
      const d = counterDelta(s0, c.snapshot());
      expect(d.readBacks).toBe(4);
      expect(d.readBacksByMethod).toMatchObject({ dataSync: 1, arraySync: 1, data: 1, array: 1, buffer: 0, bufferSync: 0 });
      expect(d.hostTensors).toBe(2);
      expect(d.tensorsCreated).toBe(3);
      expect(d.draws).toBe(0); // no WebGL in Node
      t.dispose();
      u.dispose();
      expect(() => installStepCounters()).toThrow(/already installed/);
    } finally {
      c.uninstall();
    }
    expect(tf.Tensor.prototype.dataSync).toBe(dataSync);
    expect(Object.prototype.hasOwnProperty.call(tf.engine(), "makeTensor")).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
  });
});
