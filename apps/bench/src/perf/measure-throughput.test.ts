import { describe, expect, it } from "vitest";
import { median, timeRepetitions, warmUp } from "./measure-throughput.js";
import { QUICK_PROFILE, profileForBackend } from "./perf-profile.js";

describe("throughput timing", () => {
  it("median(values) is the middle value, or the mean of the two middle ones", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });

  it("warmUp then timeRepetitions(step, 32, profile) with a 10 ms step report 3200 samples/s from whole repetitions", () => {
    let t = 0;
    let calls = 0;
    const step = (): void => {
      calls++;
      t += 10;
    };
    const profile = { ...QUICK_PROFILE, warmupSteps: 2, warmupSeconds: 0.05, reps: 3, repSeconds: 0.1, repMinSteps: 4 };
    expect(warmUp(step, profile, () => t)).toBe(5); // 5 steps to pass 0.05 s
    const r = timeRepetitions(step, 32, profile, () => t);
    expect(r.reps).toHaveLength(3);
    for (const s of r.reps) expect(s).toBeCloseTo(3200, 6);
    expect(r.samplesPerSecond).toBeCloseTo(3200, 6);
    expect(r.steps).toBe(30); // 10 steps of 10 ms per 0.1 s repetition
    expect(calls).toBe(5 + 30);
  });

  it("profileForBackend(profile, 'cpu') lowers the step minimums only for cpu", () => {
    expect(profileForBackend(QUICK_PROFILE, "wasm")).toBe(QUICK_PROFILE);
    expect(profileForBackend(QUICK_PROFILE, "cpu")).toMatchObject({ warmupSteps: 1, repMinSteps: 2, repSeconds: QUICK_PROFILE.repSeconds });
  });
});
