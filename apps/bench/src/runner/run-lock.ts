import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { shardName } from "../executors/executor.js";

/** Who holds a lock: the process id and host written into the lock file. */
export interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
}

/** The lock file of a run: `<out>/locks/<shardName(runId)>.lock`. */
export function runLockPath(out: string, runId: string): string {
  return join(out, "locks", `${shardName(runId)}.lock`);
}

/** The owner written in a lock file, or null when there is none or it is unreadable. */
export function readLockOwner(path: string): LockOwner | null {
  try {
    const o = JSON.parse(readFileSync(path, "utf8")) as LockOwner;
    return typeof o.pid === "number" && typeof o.hostname === "string" ? o : null;
  } catch {
    return null;
  }
}

/** Whether a lock's owner is a process that no longer exists on this host (then the lock is stale). */
export function isStale(owner: LockOwner | null): boolean {
  if (owner === null) return true;
  if (owner.hostname !== hostname()) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * Takes the lock of one run (O_EXCL create of its lock file holding pid and hostname), so two
 * processes working on one results folder never train the same run. A lock whose process is dead
 * on this host is stale and taken over; a lock of another host is respected.
 *
 * @param path - a lock file path (see {@link runLockPath})
 * @returns a release function, or the owner of the live lock that is in the way
 * @example
 * const lock = acquireLock(runLockPath(out, runId));
 * if (typeof lock === "function") try { ... } finally { lock(); }
 */
export function acquireLock(path: string): (() => void) | LockOwner {
  mkdirSync(join(path, ".."), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, "wx");
      const me: LockOwner = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const owner = readLockOwner(path);
      // An empty file may be a lock being written right now: only a dead owner is taken over.
      if (owner !== null && isStale(owner)) rmSync(path, { force: true });
      else if (owner === null && attempt < 2) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
      else if (owner !== null) return owner;
    }
  }
  return readLockOwner(path) ?? { pid: -1, hostname: "unknown", startedAt: "" };
}

/**
 * Runs `fn` holding the lock at `path`, waiting (up to `timeoutMs`) while another live process holds it.
 *
 * @throws Error when the lock stays taken for `timeoutMs`
 */
export function withLock<T>(path: string, fn: () => T, timeoutMs = 60_000): T {
  const start = Date.now();
  for (;;) {
    const lock = acquireLock(path);
    if (typeof lock === "function") {
      try {
        return fn();
      } finally {
        lock();
      }
    }
    if (Date.now() - start > timeoutMs) throw new Error(`${path} held by pid ${lock.pid} on ${lock.hostname} for over ${timeoutMs / 1000} s`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);
  }
}
