import { describe, expect, it } from "vitest";
import { RunClock } from "./run-clock.js";

describe("RunClock", () => {
  it("counts running time only, and gives the overall and after-warm-up rates", () => {
    let t = 0;
    const clock = new RunClock(2, () => t);
    expect(clock.tick(0)).toEqual({ perSecond: null, steadyPerSecond: null, steadySince: null });
    clock.start();
    t = 1000;
    expect(clock.tick(1).perSecond).toBe(1);
    t = 2000;
    const warm = clock.tick(2);
    expect(warm).toEqual({ perSecond: 1, steadyPerSecond: null, steadySince: 2000 });
    clock.stop();
    t = 60_000; // paused for 58 s: not counted
    clock.start();
    clock.start(); // no effect while running
    t = 60_500;
    const r = clock.tick(4);
    expect(clock.elapsed()).toBe(2.5);
    expect(r.perSecond).toBeCloseTo(4 / 2.5, 12);
    expect(r.steadyPerSecond).toBeCloseTo(2 / 0.5, 12);
    expect(r.steadySince).toBe(2000);
    clock.reset();
    expect(clock.elapsed()).toBe(0);
    expect(clock.tick(3).steadySince).toBeNull();
  });
});
