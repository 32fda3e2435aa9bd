/** Test helper: the built dale-bench CLI in a child process, run asynchronously. */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../bin/dale-bench.mjs", import.meta.url));

/** The result of one CLI run. */
export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI without blocking this worker's event loop (a long spawnSync starves vitest's
 * worker RPC, which times out after 60 s). JavaScript spectra solvers (DALE_OPENBLAS_DISABLE=1 is
 * not set here; pass env to set it).
 */
export function bench(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    collect(child, resolve, reject);
  });
}

function collect(child: ChildProcess, resolve: (r: CliResult) => void, reject: (e: Error) => void): void {
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  child.on("error", reject);
  child.on("close", (status) => resolve({ status, stdout, stderr }));
}

/** Runs dale-bench and SIGKILLs it as soon as its output matches `pattern`. */
export function benchKilledAt(args: string[], pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args]);
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (pattern.test(out)) child.kill("SIGKILL");
    });
    child.on("exit", (_code, signal) => (signal === "SIGKILL" ? resolve(out) : reject(new Error(`dale-bench exited before ${pattern}: ${out}`))));
  });
}

/** A record as a plain object. */
export type Row = Record<string, unknown>;

/** The rows of `<dir>/results.jsonl`. */
export function rows(dir: string): Row[] {
  return readFileSync(join(dir, "results.jsonl"), "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as Row);
}

/** The parts of a record that must not depend on timing, interruptions or versions. */
export function deterministic(r: Row): Row {
  const { wallSeconds, startedAt, finishedAt, versions, ...rest } = r;
  void wallSeconds; void startedAt; void finishedAt; void versions;
  return rest;
}
