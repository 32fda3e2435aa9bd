/**
 * The tensor side of the trial tasks on tfjs-backend-wasm against the CPU backend: the same trial
 * sets, uploads, masked losses, gradients and decision counts.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { afterEach, describe, expect, it } from "vitest";
import { trialSet } from "./trial-set.js";
import { trialHostBatches } from "./trial-host-batches.js";
import { trialTaskAdapter } from "./trial-task-adapter.js";
import { maskedMse } from "./masked-mse.js";
import { maskedCrossEntropy } from "./masked-cross-entropy.js";
import { randomPolicy } from "./internal/testing.js";
import { uniforms } from "./internal/reference.js";
import { contextDecisionMaking } from "./tasks/context-decision-making.js";
import { readySetGo } from "./tasks/ready-set-go.js";
import type { TrialTask } from "./trial-task.js";

interface Results {
  trials: unknown;
  inputs: Float32Array;
  targets: Float32Array;
  mse: number;
  ce: number;
  grad: Float32Array;
  errors: number;
  lossMse: number;
  lossCe: number;
}

async function onBackend(name: "cpu" | "wasm", task: TrialTask): Promise<Results> {
  expect(await tf.setBackend(name)).toBe(true);
  await tf.ready();
  const before = tf.memory().numTensors;
  const trials = trialSet(task, { seed: 5, count: 12 });
  const [hb] = trialHostBatches(task, trials, { batchSize: 12 });
  const T = hb!.steps!;
  const nOut = task.outputNames.length;
  const mse = trialTaskAdapter(task);
  const ce = trialTaskAdapter(task, { loss: "cross-entropy" });
  const zv = new Float32Array(12 * T * nOut);
  trials.forEach((t, b) => zv.set(randomPolicy(t, 3), b * T * nOut));
  let r: Results | undefined;
  tf.tidy(() => {
    const { inputs, targets } = mse.toTensors(hb!);
    const z = tf.tensor3d(zv, [12, T, nOut]);
    const y = tf.tensor3d(uniforms(12 * T * nOut, 8), [12, T, nOut]);
    const m = tf.tensor3d(uniforms(12 * T * nOut, 9, 0, 1), [12, T, nOut]);
    const labels = tf.tensor2d(Int32Array.from(uniforms(12 * T, 10, 0, 1), (u) => Math.floor(u * nOut)), [12, T], "int32");
    const stepMask = tf.tensor2d(uniforms(12 * T, 11, 0, 1), [12, T]);
    r = {
      trials,
      inputs: inputs.dataSync() as Float32Array,
      targets: targets.dataSync() as Float32Array,
      mse: maskedMse(z, y, m).dataSync()[0]!,
      ce: maskedCrossEntropy(z, labels, stepMask).dataSync()[0]!,
      grad: tf.grad((x: tf.Tensor) => maskedMse(x, y, m))(z).dataSync() as Float32Array,
      errors: mse.errorSum(z, targets).dataSync()[0]!,
      lossMse: mse.loss(z, targets).dataSync()[0]!,
      lossCe: ce.loss(z, targets).dataSync()[0]!,
    };
  });
  expect(tf.memory().numTensors).toBe(before);
  return r!;
}

describe("trial tensors on tfjs-backend-wasm", () => {
  afterEach(async () => {
    await tf.setBackend("cpu");
  });

  for (const make of [() => contextDecisionMaking({ inputNoise: 1 }), () => readySetGo({ inputNoise: 0.1 })]) {
    const name = make().name;
    it(`${name}: trial sets, uploads, decision errors and masked losses agree between cpu and wasm`, async () => {
      const cpu = await onBackend("cpu", make());
      const wasm = await onBackend("wasm", make());
      expect(wasm.trials).toEqual(cpu.trials);
      expect(wasm.inputs).toEqual(cpu.inputs);
      expect(wasm.targets).toEqual(cpu.targets);
      expect(wasm.errors).toBe(cpu.errors);
      expect(cpu.errors).toBeGreaterThan(0);
      for (const k of ["mse", "ce", "lossMse", "lossCe"] as const) expect([k, wasm[k]]).toEqual([k, expect.closeTo(cpu[k], 5)]);
      for (let i = 0; i < cpu.grad.length; i += 7) expect(wasm.grad[i]).toBeCloseTo(cpu.grad[i]!, 7);
    });
  }
});
