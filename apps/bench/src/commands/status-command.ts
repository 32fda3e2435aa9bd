import { existsSync, readFileSync } from "node:fs";
import { folderExperiment, readExperimentFile } from "../runner/experiment-folder.js";
import type { AnyExperiment, Command } from "../runner/experiment.js";
import { folderCommand } from "./folder-command.js";
import { ResultsStore } from "../runner/results-store.js";
import { failurePath } from "../runner/run-one.js";
import { isStale, readLockOwner, runLockPath } from "../runner/run-lock.js";
import { planWithSweeps } from "../runner/sweep.js";
import { UserError } from "../user-error.js";

const HELP = `usage: dale-bench status DIR

Counts the planned runs of DIR that are done (a shard or a results.jsonl line), running (a live
lock, or RUNNING in Slurm), failed (a recorded failure, or FAILED / TIMEOUT / CANCELLED /
OUT_OF_MEMORY / NODE_FAIL in Slurm) and pending, and lists the runs that are not done.`;

const SLURM_FAILED = new Set(["FAILED", "TIMEOUT", "CANCELLED", "OUT_OF_MEMORY", "NODE_FAIL", "BOOT_FAIL", "DEADLINE", "PREEMPTED"]);

/** `dale-bench status DIR`. @param experiments - the registry's experiments */
export function statusCommand(experiments: readonly AnyExperiment[]): Command {
  return folderCommand("status", "done / running / failed / pending runs of a results folder", HELP, async (out) => {
    const file = readExperimentFile(out);
    const name = file?.experiment ?? (existsSync(out) ? folderExperiment(out) : null);
    const experiment = experiments.find((e) => e.name === name);
    if (!file || !experiment) throw new UserError(`${out} has no experiment.json of a known experiment; expected a folder planned by dale-bench`);
    const runs = planWithSweeps(experiment, file.options, file.sweep);
    const done = new ResultsStore(out, experiment, (l) => void process.stderr.write(`${l}\n`)).readAll();
    let slurm = new Map<string, string>();
    try {
      const mod = await import("../executors/slurm/slurm-executor.js");
      slurm = await mod.slurmRunStates(out);
    } catch {
      // no Slurm executor (or no Slurm): local states only
    }
    const states = runs.map((r) => {
      if (done.has(r.runId)) return { runId: r.runId, state: "done" };
      const lock = readLockOwner(runLockPath(out, r.runId));
      const s = slurm.get(r.runId);
      if ((lock && !isStale(lock)) || s === "RUNNING") return { runId: r.runId, state: "running", note: lock ? `pid ${lock.pid} on ${lock.hostname}` : "slurm" };
      if (s !== undefined && SLURM_FAILED.has(s)) return { runId: r.runId, state: "failed", note: `slurm ${s}` };
      const fp = failurePath(out, r.runId);
      if (existsSync(fp)) {
        let message = "";
        try {
          message = (JSON.parse(readFileSync(fp, "utf8")) as { message?: string }).message ?? "";
        } catch {
          message = "unreadable failure record";
        }
        return { runId: r.runId, state: "failed", note: message };
      }
      return { runId: r.runId, state: "pending", ...(s ? { note: `slurm ${s}` } : {}) };
    });
    const count = (s: string): number => states.filter((x) => x.state === s).length;
    process.stdout.write(`${experiment.name} ${out}: ${runs.length} runs: ${count("done")} done, ${count("running")} running, ${count("failed")} failed, ${count("pending")} pending\n`);
    for (const s of states) if (s.state !== "done") process.stdout.write(`  ${s.state.padEnd(7)} ${s.runId}${"note" in s && s.note ? ` (${s.note})` : ""}\n`);
    return 0;
  });
}
