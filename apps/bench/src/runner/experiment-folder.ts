import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../report/write-file-atomic.js";
import { UserError } from "../user-error.js";
import type { Json } from "./experiment.js";

/** `<out>/experiment.json`: which experiment a folder holds and the options that plan its runs. */
export interface ExperimentFile {
  experiment: string;
  options: { [key: string]: Json };
  /** The `--sweep` axes, as given. */
  sweep: string[];
  /** The `--backend` choice of the invocation (workers use it unless given their own). */
  backend: string;
  /** Every distinct command that has run into this folder, oldest first (`invocationCommand`); the report lists them. */
  commands: string[];
}

/** Reads `<out>/experiment.json`, or null when there is none. @throws UserError when it is unreadable */
export function readExperimentFile(out: string): ExperimentFile | null {
  const path = join(out, "experiment.json");
  if (!existsSync(path)) return null;
  try {
    const f = JSON.parse(readFileSync(path, "utf8")) as ExperimentFile;
    if (typeof f.experiment !== "string" || typeof f.options !== "object" || f.options === null) throw new Error("missing experiment or options");
    const commands = Array.isArray(f.commands) ? f.commands.filter((c): c is string => typeof c === "string") : [];
    return { experiment: f.experiment, options: f.options, sweep: Array.isArray(f.sweep) ? f.sweep : [], backend: typeof f.backend === "string" ? f.backend : "auto", commands };
  } catch (e) {
    throw new UserError(`${path} is unreadable (${(e as Error).message.split("\n")[0]}); expected {"experiment", "options"} written by dale-bench`);
  }
}

/** The experiment of a folder: from experiment.json, else from the first parseable line of results.jsonl (earlier versions). */
export function folderExperiment(out: string): string | null {
  const file = readExperimentFile(out);
  if (file) return file.experiment;
  const results = join(out, "results.jsonl");
  if (!existsSync(results)) return null;
  for (const line of readFileSync(results, "utf8").split("\n")) {
    try {
      const e = (JSON.parse(line) as { experiment?: unknown }).experiment;
      if (typeof e === "string") return e;
    } catch {
      // a truncated line: try the next
    }
  }
  return null;
}

/**
 * Checks a results folder before anything is trained: `out` is a non-empty path, not a file, can
 * be created and written, and holds no other experiment's results.
 *
 * @throws UserError in one line for each of those, naming the folder; nothing in it is changed
 */
export function checkOutFolder(out: string, flagValue: string | undefined, experiment: string): void {
  if (flagValue !== undefined && flagValue.trim() === "") throw new UserError(`--out must be a folder path; got ""`);
  if (existsSync(out) && !statSync(out).isDirectory()) throw new UserError(`--out ${out} is a file; expected a folder (new or holding ${experiment} results)`);
  const other = existsSync(out) ? folderExperiment(out) : null;
  if (other !== null && other !== experiment) {
    throw new UserError(`--out ${out} holds results of experiment "${other}"; expected a new folder or one of "${experiment}" (use another --out)`);
  }
  try {
    mkdirSync(out, { recursive: true });
    accessSync(out, constants.W_OK);
    const probe = join(out, `.dale-bench-probe-${process.pid}`);
    writeFileSync(probe, "");
    rmSync(probe);
  } catch (e) {
    throw new UserError(`--out ${out} is not writable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); expected a folder dale-bench can write`);
  }
}

/** Writes `<out>/experiment.json` (atomically). */
export function writeExperimentFile(out: string, file: ExperimentFile): void {
  writeFileAtomic(join(out, "experiment.json"), `${JSON.stringify(file, null, 2)}\n`);
}
