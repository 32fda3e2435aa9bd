import { describe, expect, it } from "vitest";
import { AlignmentTracker, DEFAULT_ALIGNMENT_WINDOW } from "./alignment-tracker.js";

const step = (raw: number, corrected: number, layer = "h1") => [{ layer, rawCosine: raw, correctedCosine: corrected }];

describe("AlignmentTracker", () => {
  it("new AlignmentTracker() averages over a window of 500 updates (Fig. 2)", () => {
    const tracker = new AlignmentTracker();
    expect(DEFAULT_ALIGNMENT_WINDOW).toBe(500);
    expect(tracker.averaging).toEqual({ window: 500 });
    for (let i = 0; i < 600; i++) tracker.update(step(i, -i));
    // The last 500 values are 100..599, mean 349.5.
    const [avg] = tracker.averages();
    expect(avg).toEqual({ layer: "h1", rawCosine: 349.5, correctedCosine: -349.5, count: 600 });
  });

  it("new AlignmentTracker(3) averages the last 3 updates per layer, layers in order of first appearance", () => {
    const tracker = new AlignmentTracker(3);
    tracker.update([...step(0.1, 0.5, "a"), ...step(0.2, 0.6, "b")]);
    tracker.update(step(0.3, 0.7, "a"));
    expect(tracker.averages().map((a) => a.layer)).toEqual(["a", "b"]);
    expect(tracker.averages()[0]?.rawCosine).toBeCloseTo(0.2, 12);
    tracker.update(step(0.5, 0.9, "a"));
    const out = tracker.update(step(0.7, 1.0, "a"));
    expect(out[0]?.rawCosine).toBeCloseTo((0.3 + 0.5 + 0.7) / 3, 12);
    expect(out[0]?.correctedCosine).toBeCloseTo((0.7 + 0.9 + 1.0) / 3, 12);
    expect(out[1]).toEqual({ layer: "b", rawCosine: 0.2, correctedCosine: 0.6, count: 1 });
  });

  it("new AlignmentTracker(0.5) is an exponential moving average started at the first value", () => {
    const tracker = new AlignmentTracker(0.5);
    expect(tracker.averaging).toEqual({ momentum: 0.5 });
    tracker.update(step(1, 0));
    tracker.update(step(0, 1));
    const out = tracker.update(step(1, 1));
    expect(out[0]?.rawCosine).toBeCloseTo(0.75, 12); // 0.5·1 + 0.5·(0.5·0 + 0.5·1)
    expect(out[0]?.correctedCosine).toBeCloseTo(0.75, 12);
    expect(new AlignmentTracker({ momentum: 1 }).update(step(0.3, 0.4))[0]?.rawCosine).toBe(0.3);
    expect(new AlignmentTracker({ window: 2 }).averaging).toEqual({ window: 2 });
  });

  it("AlignmentTracker skips NaN cosines and reset() forgets every layer", () => {
    const tracker = new AlignmentTracker(10);
    tracker.update(step(Number.NaN, Number.NaN));
    expect(tracker.averages()[0]?.rawCosine).toBeNaN();
    tracker.update(step(0.4, Number.NaN));
    tracker.update(step(0.6, 0.8));
    expect(tracker.averages()[0]).toEqual({ layer: "h1", rawCosine: 0.5, correctedCosine: 0.8, count: 2 });
    tracker.reset();
    expect(tracker.averages()).toEqual([]);
  });

  it("AlignmentTracker rejects a window that is not an integer >= 1 and a momentum outside (0, 1], naming the value", () => {
    expect(() => new AlignmentTracker(0)).toThrow(/expected a window \(an integer >= 1\) or a momentum in \(0, 1\); got 0/);
    expect(() => new AlignmentTracker(2.5)).toThrow(/got 2.5/);
    expect(() => new AlignmentTracker(-0.5)).toThrow(/got -0.5/);
    expect(() => new AlignmentTracker({ window: 0 })).toThrow(/window must be an integer >= 1; got 0/);
    expect(() => new AlignmentTracker({ momentum: 1.5 })).toThrow(/momentum must be a number in \(0, 1\]; got 1.5/);
    // @ts-expect-error testing a bad argument
    expect(() => new AlignmentTracker("500")).toThrow(/expected a number, \{ window \} or \{ momentum \}; got "500"/);
  });
});
