import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackend } from "@dale-nn/test-support";
import { DEFAULT_CT_SETTINGS, disposeCtMixture, startCtMixture, type CtEvaluation, type CtMixtureSettings } from "./ct-mixture.js";
import { yieldMacrotask } from "./lockstep.js";

// Smaller than the page's run (20 units, 300 ms stimuli, 64 test trials) so the CPU backend takes seconds.
const small: CtMixtureSettings = { ...DEFAULT_CT_SETTINGS, units: 20, stimulusMs: 300, testTrials: 64, evalEvery: 25, maxUpdates: 50 };

interface Recorded {
  losses: number[];
  a: Array<{ update: number; a: number }>;
  tensors: Array<{ update: number; n: number }>;
  evaluations: CtEvaluation[];
  updates: number;
  aborted: boolean;
}

async function record(settings: CtMixtureSettings, abortAfter: number | null = null): Promise<Recorded> {
  const r: Recorded = { losses: [], a: [], tensors: [], evaluations: [], updates: 0, aborted: false };
  const abort = new AbortController();
  const run = startCtMixture(settings, yieldMacrotask, abort.signal, {
    onUpdate: (update, loss, a) => {
      r.losses.push(loss);
      expect(update).toBe(r.losses.length);
      if (abortAfter !== null && update >= abortAfter) abort.abort();
      if (a !== null) {
        r.a.push({ update, a });
        r.tensors.push({ update, n: tf.memory().numTensors });
      }
    },
    onEvaluation: (e) => void r.evaluations.push(e),
  });
  try {
    const result = await run.done;
    r.updates = result.updates;
    r.aborted = result.aborted === true;
  } finally {
    disposeCtMixture(run);
  }
  return r;
}

describe("startCtMixture", () => {
  useBackend("cpu");

  it("startCtMixture(settings, yieldFn, signal, callbacks) trains 50 updates: finite falling losses, a in [0, 1], evaluations at 0, 25 and 50, tensors flat and all freed", async () => {
    const before = tf.memory().numTensors;
    const r = await record(small);
    expect(tf.memory().numTensors).toBe(before);
    expect(r.updates).toBe(50);
    expect(r.losses).toHaveLength(50);
    expect(r.losses.every(Number.isFinite)).toBe(true);
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean(r.losses.slice(-10))).toBeLessThan(0.8 * mean(r.losses.slice(0, 10)));
    // a is read after every update (checkEvery 1), stays in [0, 1] and moves (k = 10).
    expect(r.a.map((p) => p.update)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    for (const { a } of r.a) expect(a >= 0 && a <= 1).toBe(true);
    expect(new Set(r.a.map((p) => p.a)).size).toBeGreaterThan(1);
    // The same number of tensors after every update (Adam's moments exist from update 1).
    expect(new Set(r.tensors.map((t) => t.n))).toEqual(new Set([r.tensors[0]!.n]));
    expect(r.evaluations.map((e) => e.update)).toEqual([0, 25, 50]);
    for (const e of r.evaluations) {
      expect(e.accuracy).toBeGreaterThanOrEqual(0);
      expect(e.accuracy).toBeLessThanOrEqual(1);
      // Signed coherences −51.2 … 51.2 (9 levels), every test trial counted once.
      expect(e.psychometric.map((p) => p.coherence)).toEqual([-51.2, -25.6, -12.8, -6.4, 0, 6.4, 12.8, 25.6, 51.2]);
      expect(e.psychometric.reduce((s, p) => s + p.trials, 0)).toBe(small.testTrials);
      for (const p of e.psychometric) expect(p.pChoice1 >= 0 && p.pChoice1 <= 1).toBe(true);
    }
  }, 120_000);

  it("startCtMixture(settings with checkEvery 5, ...) reads a back after every fifth update, with the losses of all five", async () => {
    const r = await record({ ...small, checkEvery: 5, maxUpdates: 20, evalEvery: 20 });
    expect(r.losses).toHaveLength(20);
    expect(r.a.map((p) => p.update)).toEqual([5, 10, 15, 20]);
    expect(r.evaluations.map((e) => e.update)).toEqual([0, 20]);
  }, 60_000);

  it("startCtMixture with the same seed gives the same losses, a and evaluations; another seed other numbers", async () => {
    const s = { ...small, maxUpdates: 10, evalEvery: 10 };
    const one = await record(s);
    const two = await record(s);
    const other = await record({ ...s, seed: 1 });
    expect(two.losses).toEqual(one.losses);
    expect(two.a).toEqual(one.a);
    expect(two.evaluations).toEqual(one.evaluations);
    expect(other.losses).not.toEqual(one.losses);
  }, 120_000);

  it("startCtMixture stops after the current update when the signal aborts, and frees every tensor", async () => {
    const before = tf.memory().numTensors;
    // Aborted while update 5's loss is reported: trainModel checks the signal next, so no sixth update.
    const r = await record({ ...small, maxUpdates: 1000 }, 5);
    expect(r.aborted).toBe(true);
    expect(r.updates).toBe(5);
    expect(r.losses).toHaveLength(5);
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it.each([
    [{ a0: 1 }, /a0 must be in \(0, 1\); got 1/],
    [{ logitScale: 0 }, /logitScale must be a finite number > 0; got 0/],
    [{ checkEvery: 5, evalEvery: 12 }, /evalEvery must be a multiple of checkEvery = 5; got 12/],
    [{ maxUpdates: 0 }, /maxUpdates must be an integer >= 1; got 0/],
  ])("startCtMixture({ ...settings, %j }) throws a RangeError naming the value", (patch, message) => {
    const before = tf.memory().numTensors;
    expect(() => startCtMixture({ ...small, ...patch }, yieldMacrotask, new AbortController().signal)).toThrow(message);
    expect(tf.memory().numTensors).toBe(before);
  });
});
