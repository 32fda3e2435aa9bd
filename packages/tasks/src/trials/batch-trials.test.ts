import { describe, expect, it } from "vitest";
import { batchRow, batchTrials, unbatchOutputs } from "./batch-trials.js";
import { trialSet } from "./trial-set.js";
import { contextDecisionMaking } from "./tasks/context-decision-making.js";
import { goNoGo } from "./tasks/go-no-go.js";

describe("batchTrials", () => {
  const task = contextDecisionMaking();
  const trials = trialSet(task, { seed: 0, count: 6 });
  const longest = Math.max(...trials.map((t) => t.steps));

  it("batchTrials(trials) pads batch-major to the longest trial with zero inputs, targets and mask", () => {
    const b = batchTrials(trials);
    expect([b.layout, b.size, b.steps, b.nIn, b.nOut]).toEqual(["batch-major", 6, longest, 7, 3]);
    expect(b.inputs.length).toBe(6 * longest * 7);
    expect(Array.from(b.lengths)).toEqual(trials.map((t) => t.steps));
    trials.forEach((tr, i) => {
      expect(b.inputs.subarray(i * longest * 7, (i * longest + tr.steps) * 7)).toEqual(tr.inputs);
      expect(b.mask.subarray(i * longest * 3, (i * longest + tr.steps) * 3)).toEqual(tr.mask);
      for (let t = 0; t < longest; t++) {
        expect(b.stepMask[i * longest + t]).toBe(t < tr.steps ? 1 : 0);
        if (t >= tr.steps) {
          expect(Array.from(b.mask.subarray((i * longest + t) * 3, (i * longest + t + 1) * 3))).toEqual([0, 0, 0]);
          expect(Array.from(b.targets.subarray((i * longest + t) * 3, (i * longest + t + 1) * 3))).toEqual([0, 0, 0]);
        }
      }
    });
  });

  it("batchTrials(trials, {layout: \"time-major\", steps}) stores [T, batch, ·] and pads to the given length", () => {
    const b = batchTrials(trials, { layout: "time-major", steps: task.maxSteps });
    expect(b.steps).toBe(task.maxSteps);
    const bm = batchTrials(trials, { steps: task.maxSteps });
    for (let i = 0; i < 6; i++) {
      for (let t = 0; t < task.maxSteps; t += 7) {
        const rt = batchRow("time-major", 6, task.maxSteps, i, t);
        const rb = batchRow("batch-major", 6, task.maxSteps, i, t);
        expect(rt).toBe(t * 6 + i);
        expect(Array.from(b.inputs.subarray(rt * 7, rt * 7 + 7))).toEqual(Array.from(bm.inputs.subarray(rb * 7, rb * 7 + 7)));
        expect(b.stepMask[rt]).toBe(bm.stepMask[rb]);
      }
    }
  });

  it("unbatchOutputs(batch, outputs) returns each trial's [steps, nOut] outputs in both layouts", () => {
    for (const layout of ["batch-major", "time-major"] as const) {
      const b = batchTrials(trials, { layout });
      const per = unbatchOutputs(b, b.targets);
      per.forEach((z, i) => expect(z).toEqual(trials[i]!.targets));
    }
  });

  it("batchTrials rejects an empty list, mixed widths, a short length and a bad layout; unbatchOutputs a wrong size", () => {
    expect(() => batchTrials([])).toThrow(/got 0 trials; expected at least one/);
    const other = trialSet(goNoGo(), { seed: 0, count: 1 });
    expect(() => batchTrials([...trials, ...other])).toThrow(/trial 6 has nIn = 3, nOut = 2; expected 7, 3 like trial 0/);
    expect(() => batchTrials(trials, { steps: 10 })).toThrow(new RegExp(`steps must be an integer >= the longest trial \\(${longest}\\); got 10`));
    expect(() => batchTrials(trials, { layout: "tbf" as never })).toThrow(/layout must be "batch-major" or "time-major"; got "tbf"/);
    expect(() => unbatchOutputs(batchTrials(trials), new Float32Array(5))).toThrow(/outputs hold 5 values; expected size \* T \* nOut/);
  });
});
