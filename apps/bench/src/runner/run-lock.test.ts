import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { acquireLock, runLockPath } from "./run-lock.js";

describe("run locks", () => {
  it("acquireLock gives the lock once; a second taker sees the owner's pid and host; release frees it", () => {
    const path = runLockPath(mkdtempSync(join(tmpdir(), "lock-")), "ffwd/a b");
    const release = acquireLock(path);
    expect(typeof release).toBe("function");
    expect(acquireLock(path)).toMatchObject({ pid: process.pid, hostname: hostname() });
    (release as () => void)();
    expect(existsSync(path)).toBe(false);
  });

  it("acquireLock takes over a lock whose process is dead on this host, and respects one of another host", () => {
    const dir = mkdtempSync(join(tmpdir(), "lock-"));
    const dead = spawnSync(process.execPath, ["-e", "console.log(process.pid)"]).stdout.toString().trim();
    const path = runLockPath(dir, "r1");
    acquireLock(path);
    writeFileSync(path, JSON.stringify({ pid: Number(dead), hostname: hostname(), startedAt: "" }));
    expect(typeof acquireLock(path)).toBe("function");
    const other = runLockPath(dir, "r2");
    acquireLock(other);
    writeFileSync(other, JSON.stringify({ pid: Number(dead), hostname: "elsewhere", startedAt: "" }));
    expect(acquireLock(other)).toMatchObject({ hostname: "elsewhere" });
  });
});
