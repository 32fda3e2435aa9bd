import { describe, expect, it } from "vitest";
import { createRandomSource } from "@dale-nn/ei-init";
import { durationStepBounds, durationSteps, periodDuration, sampleDuration } from "./period-duration.js";

describe("periodDuration", () => {
  it("durationSteps(ms, dt) rounds to the nearest whole step", () => {
    expect(durationSteps(2000, 20)).toBe(100);
    expect(durationSteps(83, 20)).toBe(4);
    expect(durationSteps(90, 20)).toBe(5);
    expect(durationSteps(9, 20)).toBe(0);
  });

  it("sampleDuration draws fixed, uniform, choice and truncated-exponential durations within their distributions", () => {
    const rng = createRandomSource(0);
    expect(sampleDuration(periodDuration.fixed(300), rng)).toBe(300);
    const n = 20_000;
    let su = 0, se = 0, se2 = 0;
    const seen = new Set<number>();
    for (let i = 0; i < n; i++) {
      const u = sampleDuration(periodDuration.uniform(800, 1500), rng);
      expect(u >= 800 && u <= 1500).toBe(true);
      su += u;
      const c = sampleDuration(periodDuration.choice([300, 500, 700]), rng);
      seen.add(c);
      const e = sampleDuration(periodDuration.truncatedExponential(600, 300, 3000), rng);
      expect(e >= 300 && e <= 3000).toBe(true);
      se += e; se2 += e * e;
    }
    expect(su / n).toBeCloseTo(1150, -1);
    expect([...seen].sort()).toEqual([300, 500, 700]);
    // Truncated Exp(600) on [300, 3000]: mean = 300 + 600 − L a / (1 − a) with L = 2700, a = e^{−L/600}.
    const L = 2700, a = Math.exp(-L / 600);
    const mean = 300 + 600 - (L * a) / (1 - a);
    expect(Math.abs(se / n - mean)).toBeLessThan(10);
    // A rejection sampler of neurogym's kind gives the same law: compare the mean and the spread.
    const r2 = createRandomSource(1);
    let sr = 0, sr2 = 0, k = 0;
    while (k < n) {
      const x = r2.exponential(600);
      if (x >= 300 && x <= 3000) { sr += x; sr2 += x * x; k++; }
    }
    expect(Math.abs(sr / n - se / n)).toBeLessThan(15);
    expect(Math.abs(Math.sqrt(sr2 / n - (sr / n) ** 2) - Math.sqrt(se2 / n - (se / n) ** 2))).toBeLessThan(15);
  });

  it("durationStepBounds gives the fewest and most steps of each kind", () => {
    expect(durationStepBounds("t", "p", 2000, 20)).toEqual({ min: 100, max: 100 });
    expect(durationStepBounds("t", "p", periodDuration.uniform(800, 1500), 20)).toEqual({ min: 40, max: 75 });
    expect(durationStepBounds("t", "p", periodDuration.choice([300, 900]), 100)).toEqual({ min: 3, max: 9 });
    expect(durationStepBounds("t", "p", periodDuration.truncatedExponential(600, 300, 3000), 20)).toEqual({ min: 15, max: 150 });
  });

  it("durationStepBounds refuses zero-length and malformed durations, naming the period and the value", () => {
    expect(() => durationStepBounds("task", "delay", 0, 20)).toThrow(/task: period "delay" can last 0 ms, which is 0 steps at dt = 20 ms \(a zero-length period\); expected at least one step \(>= 10 ms\)/);
    expect(() => durationStepBounds("task", "delay", periodDuration.choice([0, 500]), 20)).toThrow(/period "delay" can last 0 ms/);
    expect(() => durationStepBounds("task", "delay", periodDuration.choice([]), 20)).toThrow(/period "delay" choice\(values\) needs a non-empty list/);
    expect(() => durationStepBounds("task", "delay", periodDuration.choice([300, -1]), 20)).toThrow(/got \{"kind":"choice","values":\[300,-1\]\}/);
    expect(() => durationStepBounds("task", "delay", periodDuration.truncatedExponential(0, 300, 3000), 20)).toThrow(/needs finite mean > 0/);
    expect(() => durationStepBounds("task", "delay", Number.POSITIVE_INFINITY, 20)).toThrow(/period "delay" must last a finite number of ms >= 0; got Infinity/);
    expect(() => durationStepBounds("task", "delay", { kind: "gamma" }, 20)).toThrow(/unknown duration kind "gamma"/);
    expect(() => durationStepBounds("task", "delay", "500", 20)).toThrow(/period "delay" must be a number of ms or a uniform \/ choice \/ truncated-exponential duration; got "500"/);
  });
});
