import { resolve } from "node:path";
import { selectBackend } from "../backend.js";
import { Progress } from "../progress.js";
import { readExperimentFile } from "../runner/experiment-folder.js";
import type { AnyExperiment, Command } from "../runner/experiment.js";
import { parseFlags } from "../runner/parse-flags.js";
import { ResultsStore } from "../runner/results-store.js";
import { runOne } from "../runner/run-one.js";
import { planWithSweeps } from "../runner/sweep.js";
import { UserError } from "../user-error.js";

const HELP = `usage: dale-bench worker DIR --run-id ID [--backend NAME]

Runs one planned run of the results folder DIR (re-planned from DIR/experiment.json), resuming
from its checkpoint, and writes its shard DIR/shards/<run>.json. What executors start; exit status
0 when the run finished (or was already finished), 1 when it failed or another process holds it,
2 on a usage error. It does not merge results.jsonl: \`dale-bench report DIR\` does.`;

/**
 * `dale-bench worker DIR --run-id ID`: one run of a results folder, for executors.
 *
 * @param experiments - the registry's experiments (to find the folder's)
 */
export function workerCommand(experiments: readonly AnyExperiment[]): Command {
  return {
    name: "worker",
    summary: "run one planned run of a results folder (what executors start)",
    help: HELP,
    async run(args) {
      const { values, positionals } = parseFlags(args, { "run-id": { type: "string", description: "" }, backend: { type: "string", description: "" } }, true);
      if (positionals.length !== 1) throw new UserError(`worker takes one results folder; got ${positionals.length} arguments`);
      const runId = values["run-id"] as string | undefined;
      if (!runId) throw new UserError("worker needs --run-id ID");
      const out = resolve(positionals[0]!);
      const file = readExperimentFile(out);
      if (file === null) throw new UserError(`${out} has no experiment.json; expected a folder planned by dale-bench`);
      const experiment = experiments.find((e) => e.name === file.experiment);
      if (!experiment) throw new UserError(`${out}/experiment.json names unknown experiment ${JSON.stringify(file.experiment)}`);
      const run = planWithSweeps(experiment, file.options, file.sweep).find((r) => r.runId === runId);
      if (!run) throw new UserError(`run id ${JSON.stringify(runId)} is not in the plan of ${out}`);
      const progress = new Progress(false, false);
      const log = (line: string): void => progress.log(line);
      let backend = "none";
      if (experiment.trains) {
        const chosen = await selectBackend((values.backend as string | undefined) ?? file.backend);
        backend = chosen.backend;
        log(`dale-bench: backend ${chosen.description}`);
      }
      const store = new ResultsStore(out, experiment, log);
      try {
        const outcome = await runOne({
          experiment, out, run, backend, store, log, progress, index: 1, total: 1,
          prepared: async () => experiment.prepare?.(file.options, [run], log),
        });
        if (outcome.kind === "locked") {
          process.stderr.write(`dale-bench: ${runId} is being run by ${outcome.owner}\n`);
          return 1;
        }
        return 0;
      } catch (e) {
        if (e instanceof UserError) throw e;
        process.stderr.write(`dale-bench: ${runId} failed: ${(e as Error).message.split("\n")[0]}\n`);
        return 1;
      }
    },
  };
}
