import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { selectBackend } from "../backend.js";
import { CheckpointStore } from "../checkpoint-store.js";
import { Progress } from "../progress.js";
import { checkOutFolder, readExperimentFile, writeExperimentFile } from "./experiment-folder.js";
import { invocationCommand } from "./invocation-command.js";
import { writeExperimentReport } from "./write-experiment-report.js";
import type { AnyExperiment, FlagValues, PlannedRun } from "./experiment.js";
import { oneOf } from "./flag-values.js";
import { describeFlags, parseFlags } from "./parse-flags.js";
import { ResultsStore } from "./results-store.js";
import { runOne } from "./run-one.js";
import { runnerFlags } from "./runner-flags.js";
import { selectExecutor } from "./select-executor.js";
import { parseSweep, planWithSweeps } from "./sweep.js";
import { BACKEND_CHOICES } from "../backend.js";

/** The `bin/dale-bench.mjs` that workers run (the first one above this file: dist/ or src/runner/). */
export const BIN = ((): string => {
  for (let d = dirname(fileURLToPath(import.meta.url)); dirname(d) !== d; d = dirname(d)) {
    if (existsSync(join(d, "bin", "dale-bench.mjs"))) return join(d, "bin", "dale-bench.mjs");
  }
  return fileURLToPath(new URL("../bin/dale-bench.mjs", import.meta.url));
})();

function describeSweepKeys(keys: Readonly<Record<string, { description: string }>>): string[] {
  const width = Math.max(...Object.keys(keys).map((k) => k.length));
  return Object.entries(keys).map(([k, s]) => `  ${k.padEnd(width)}  ${s.description}`);
}

/** `dale-bench <name> --help` of an experiment: summary, usage, its flags, the runner's flags, its help. */
export function experimentHelp(experiment: AnyExperiment): string {
  return [
    `dale-bench ${experiment.name}: ${experiment.summary}`,
    "",
    `usage: dale-bench ${experiment.name} [flags]`,
    "",
    ...describeFlags(experiment.flags),
    ...(experiment.sweep ? ["", "sweep keys (--sweep KEY=...):", ...describeSweepKeys(experiment.sweep)] : []),
    "",
    "runner flags:",
    ...describeFlags(runnerFlags(experiment.trains)),
    "",
    experiment.help,
  ].join("\n");
}

/**
 * `dale-bench <experiment> [flags]`: parses and checks every flag and the results folder before
 * anything is trained, plans the runs (with sweeps), records `<out>/experiment.json`, skips the
 * finished runs, runs the rest (in this process, or through an executor), merges the shards into
 * `<out>/results.jsonl` and writes the report.
 *
 * @returns the exit status: 0, or 1 when runs failed under an executor
 * @throws UserError for bad input (one line, exit 2)
 */
export async function runExperiment(experiment: AnyExperiment, args: string[]): Promise<number> {
  const { values } = parseFlags(args, { ...experiment.flags, ...runnerFlags(experiment.trains) });
  if (values.help) {
    process.stdout.write(`${experimentHelp(experiment)}\n`);
    return 0;
  }
  const options = experiment.parse(values);
  const sweep = [...(experiment.impliedSweep?.(options) ?? []), ...((values.sweep as string[] | undefined) ?? [])];
  for (const s of sweep) parseSweep(experiment, s);
  const backendChoice = experiment.trains ? oneOf("--backend", (values.backend as string | undefined) ?? "auto", BACKEND_CHOICES) : "none";
  const executor = selectExecutor(values);
  const out = resolve((values.out as string | undefined) || experiment.defaultOut(options));
  checkOutFolder(out, values.out as string | undefined, experiment.name);
  const runs = planWithSweeps(experiment, options, sweep);
  return execute({ experiment, out, options, sweep, runs, backendChoice, executor, values, command: invocationCommand(experiment.name, args, process.cwd()) });
}

async function execute(o: {
  experiment: AnyExperiment;
  out: string;
  options: Record<string, unknown>;
  sweep: string[];
  runs: PlannedRun[];
  backendChoice: string;
  executor: ReturnType<typeof selectExecutor>;
  values: FlagValues;
  /** This invocation as a command line, added to experiment.json's commands. */
  command: string;
}): Promise<number> {
  const { experiment, out, runs } = o;
  const progress = new Progress(Boolean(process.stdout.isTTY), o.values.quiet === true);
  const log = (line: string): void => progress.log(line);
  const executor = o.executor.kind === "executor" ? await o.executor.create() : null;
  let backend = "none";
  if (experiment.trains && executor === null) {
    const chosen = await selectBackend(o.backendChoice);
    backend = chosen.backend;
    log(`dale-bench: backend ${chosen.description}`);
  }
  const store = new ResultsStore(out, experiment, log);
  const ids = runs.map((r) => r.runId);
  if (o.values["dry-run"] === true && executor !== null) {
    // Prints what would be submitted; writes nothing (not even experiment.json).
    const finished = store.readAll({ readOnly: true });
    const pending = ids.filter((id) => !finished.has(id));
    if (pending.length === 0) {
      log(`dale-bench ${experiment.name}: all ${ids.length} runs are already in ${out}; nothing to submit`);
      return 0;
    }
    const result = await executor.execute({ out, experiment: experiment.name, runIds: pending, workerArgs: (runId) => [BIN, "worker", out, "--run-id", runId], reportArgs: [BIN, "report", out], log });
    if (result.kind === "dry-run") process.stdout.write(result.script.endsWith("\n") ? result.script : `${result.script}\n`);
    return 0;
  }
  const commands = readExperimentFile(out)?.commands ?? [];
  writeExperimentFile(out, { experiment: experiment.name, options: o.options as never, sweep: o.sweep, backend: o.backendChoice, commands: commands.includes(o.command) ? commands : [...commands, o.command] });
  const done = new Set(store.merge(ids).map((r) => r.record.runId));
  // A run killed between writing its result and removing its checkpoint leaves a stale checkpoint.
  const checkpoints = new CheckpointStore(join(out, "checkpoints"), () => {});
  for (const id of ids) if (done.has(id)) checkpoints.remove(id);
  const todo = runs.filter((r) => !done.has(r.runId));
  log(`dale-bench ${experiment.name}: ${runs.length} runs planned, ${runs.length - todo.length} already in ${store.resultsPath}, ${todo.length} to run`);
  let status = 0;
  if (todo.length > 0 && executor === null) {
    let prepared: Promise<unknown> | null = null;
    const prepare = (): Promise<unknown> => (prepared ??= Promise.resolve(experiment.prepare?.(o.options, todo, log)));
    let index = 0;
    for (const run of todo) {
      index++;
      const outcome = await runOne({ experiment, out, run, backend, store, prepared: prepare, log, progress, index, total: todo.length });
      if (outcome.kind === "locked") log(`dale-bench: ${run.runId} is being run by ${outcome.owner}; skipped here`);
      store.merge(ids);
    }
  } else if (todo.length > 0 && executor !== null) {
    const result = await executor.execute({
      out,
      experiment: experiment.name,
      runIds: todo.map((r) => r.runId),
      workerArgs: (runId) => [BIN, "worker", out, "--run-id", runId],
      reportArgs: [BIN, "report", out],
      log,
    });
    if (result.kind === "dry-run") {
      process.stdout.write(result.script.endsWith("\n") ? result.script : `${result.script}\n`);
      return 0;
    }
    if (result.kind === "submitted") {
      log(`dale-bench: submitted Slurm job ${result.jobId} (${result.tasks} runs, ${result.scriptPath}); \`dale-bench status ${out}\` shows progress, \`dale-bench report ${out}\` merges the results`);
      return 0;
    }
    for (const f of result.failed) log(`dale-bench: ${f.runId} failed: ${f.message}`);
    if (result.failed.length > 0) status = 1;
  }
  const records = store.merge(ids);
  if (o.values["no-report"] !== true) {
    const paths = await writeExperimentReport(experiment, out, records.map((r) => r.record), log);
    if (paths[0]) log(`dale-bench: report ${paths[0]}`);
  }
  return status;
}
