import { describe, expect, it } from "vitest";
import { trialSet, trialSplits } from "./trial-set.js";
import { contextDecisionMaking } from "./tasks/context-decision-making.js";
import { perceptualDecisionMaking } from "./tasks/perceptual-decision-making.js";

describe("trialSet", () => {
  it("trialSet(task, {seed, count}) gives the same trials for the same seed, and a prefix for a smaller count", () => {
    const task = contextDecisionMaking({ inputNoise: 1 });
    const a = trialSet(task, { seed: 11, count: 50 });
    expect(a).toEqual(trialSet(contextDecisionMaking({ inputNoise: 1 }), { seed: 11, count: 50 }));
    expect(trialSet(task, { seed: 11, count: 7 })).toEqual(a.slice(0, 7));
    expect(a.map((t, i) => t.meta.index === i).every(Boolean)).toBe(true);
    const b = trialSet(task, { seed: 12, count: 50 });
    expect(b.map((t) => t.meta.condition)).not.toEqual(a.map((t) => t.meta.condition));
  });

  it("trialSet gives fixed numbers for a fixed seed (xoshiro128** in float64: the same on every machine and backend)", () => {
    const [t] = trialSet(perceptualDecisionMaking({ inputNoise: 1 }), { seed: 0, count: 1 });
    // Steps 5 and 6 (the stimulus onset): fixation, stimulus 1, stimulus 2; coherence 0, noise σ / sqrt(20).
    expect(Array.from(t!.inputs.subarray(15, 21))).toEqual([1, 0.5272299647331238, 0.6103331446647644, 1, 0.3796575665473938, 0.8746151328086853]);
    expect(t!.meta.condition).toEqual({ coherence: 0, direction: 1 });
    expect(t!.meta.choice).toBe(1);
  });

  it("trialSplits(task, {seed, train, test, validation}) draws each split from its own derived seed", () => {
    const task = perceptualDecisionMaking({ inputNoise: 1 });
    const s = trialSplits(task, { seed: 3, train: 40, test: 20, validation: 10 });
    expect([s.train.length, s.test.length, s.validation!.length]).toEqual([40, 20, 10]);
    expect(new Set([s.seeds.train, s.seeds.test, s.seeds.validation]).size).toBe(3);
    expect(s.train).toEqual(trialSet(task, { seed: s.seeds.train, count: 40 }));
    expect(s.test).toEqual(trialSet(task, { seed: s.seeds.test, count: 20 }));
    const trainInputs = new Set(s.train.map((t) => t.inputs.join(",")));
    expect(s.test.some((t) => trainInputs.has(t.inputs.join(",")))).toBe(false);
    expect(trialSplits(task, { seed: 3, train: 40, test: 20 }).test).toEqual(s.test);
  });

  it("trialSet and trialSplits reject count 0, a fractional count and a negative seed, naming the value", () => {
    const task = perceptualDecisionMaking();
    expect(() => trialSet(task, { seed: 0, count: 0 })).toThrow(/trialSet\(perceptual decision making\): count must be an integer >= 1; got 0/);
    expect(() => trialSet(task, { seed: 0, count: 2.5 })).toThrow(/got 2.5/);
    expect(() => trialSet(task, { seed: -1, count: 1 })).toThrow(/seed must be an integer >= 0; got -1/);
    expect(() => trialSplits(task, { seed: 0, train: 10, test: 0 })).toThrow(/test must be an integer >= 1; got 0/);
  });
});
