import { describe, expect, it } from "vitest";
import { Lockstep, yieldMacrotask } from "./lockstep.js";

/** A fake training loop: `updates` steps, arriving after each one, like trainModel with yieldEvery 1. */
async function loop(ls: Lockstep, id: string, log: string[], updates: number): Promise<void> {
  for (let u = 1; u <= updates; u++) {
    log.push(`${id}${u}`);
    await ls.arrive(id);
  }
  ls.leave(id);
}

const settle = async (n = 50): Promise<void> => {
  for (let i = 0; i < n; i++) await yieldMacrotask();
};

describe("Lockstep", () => {
  it("new Lockstep(...).stopAt = 5 pauses every member after exactly 5 updates, interleaved", async () => {
    const log: string[] = [];
    const ls = new Lockstep(yieldMacrotask);
    ls.stopAt = 5;
    ["a", "b", "c"].forEach((id) => ls.join(id));
    ls.resume();
    const loops = ["a", "b", "c"].map((id) => loop(ls, id, log, 100));
    await settle();
    expect(ls.cycles).toBe(5);
    expect(ls.isPaused).toBe(true);
    expect(log.filter((x) => x.startsWith("a"))).toHaveLength(5);
    expect(log.filter((x) => x.startsWith("c"))).toHaveLength(5);
    // Lockstep: nobody gets two updates ahead.
    expect(log.slice(0, 6).sort()).toEqual(["a1", "a2", "b1", "b2", "c1", "c2"]);
    ls.stopAt = 7;
    ls.resume();
    await settle();
    expect(ls.cycles).toBe(7);
    expect(log).toHaveLength(21);
    ls.releaseAll();
    void loops;
  });

  it("pause() stops after the current update and resume() continues; leave() stops waiting for a finished member", async () => {
    const log: string[] = [];
    const ls = new Lockstep(yieldMacrotask);
    ls.join("a");
    ls.join("b");
    ls.resume();
    const done = Promise.all([loop(ls, "a", log, 3), loop(ls, "b", log, 6)]);
    await settle(3);
    ls.pause();
    await settle();
    const frozen = log.length;
    await settle();
    expect(log.length).toBe(frozen);
    ls.resume();
    await done;
    expect(log.filter((x) => x.startsWith("b"))).toHaveLength(6);
    expect(ls.cycles).toBe(6);
  });
});
