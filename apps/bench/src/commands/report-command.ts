import { existsSync, statSync } from "node:fs";
import { readExperimentFile, folderExperiment } from "../runner/experiment-folder.js";
import type { AnyExperiment, Command } from "../runner/experiment.js";
import { folderCommand } from "./folder-command.js";
import { ResultsStore } from "../runner/results-store.js";
import { planWithSweeps } from "../runner/sweep.js";
import { UserError } from "../user-error.js";
import { writeExperimentReport } from "../runner/write-experiment-report.js";

const HELP = `usage: dale-bench report DIR

Merges the shards of DIR into DIR/results.jsonl (importing a results.jsonl of an earlier version)
and rebuilds the report of the folder's experiment (read from DIR/experiment.json, or from the
results of earlier versions).`;

/** `dale-bench report DIR`. @param experiments - the registry's experiments */
export function reportCommand(experiments: readonly AnyExperiment[]): Command {
  return folderCommand("report", "merge a results folder's shards and rebuild its report", HELP, async (dir) => {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`results directory ${dir} does not exist; expected the --out folder of a dale-bench experiment`);
    const name = folderExperiment(dir);
    if (name === null) throw new UserError(`${dir} holds no experiment.json and no results.jsonl; expected the --out folder of a dale-bench experiment`);
    const experiment = experiments.find((e) => e.name === name);
    if (!experiment) throw new UserError(`${dir} holds results of unknown experiment ${JSON.stringify(name)}`);
    const log = (line: string): void => void process.stdout.write(`${line}\n`);
    const file = readExperimentFile(dir);
    const ids = file ? planWithSweeps(experiment, file.options, file.sweep).map((r) => r.runId) : [];
    const records = new ResultsStore(dir, experiment, log).merge(ids);
    const paths = await writeExperimentReport(experiment, dir, records.map((r) => r.record), log);
    process.stdout.write(`dale-bench: wrote ${paths.join(" and ")} from ${records.length} run(s)\n`);
    return 0;
  });
}
