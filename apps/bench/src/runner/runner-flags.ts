import { BACKEND_CHOICES } from "../backend.js";
import type { FlagSpec } from "./experiment.js";

/** The flags the runner adds to every experiment (the experiment's own flags come first in the help). */
export function runnerFlags(trains: boolean): Record<string, FlagSpec> {
  return {
    out: { type: "string", value: "DIR", description: "results folder (results.jsonl, shards/, checkpoints/, report.md)" },
    ...(trains ? { backend: { type: "string", value: BACKEND_CHOICES.join("|"), default: "auto", description: "tfjs backend (auto: tensorflow, then openblas, then wasm, then cpu)" } } : {}),
    sweep: { type: "string", value: "KEY=V1,V2|KEY=log-uniform:LOW:HIGH:N", multiple: true, description: "run the plan at every value of an option (a grid when repeated)" },
    executor: { type: "string", value: "local|slurm", description: "run the runs as worker processes here (local) or as a Slurm job array (default: in this process, one after another)" },
    workers: { type: "string", value: "N", description: "local executor: worker processes at a time (default: one per core)" },
    partition: { type: "string", value: "P", description: "slurm: partition" },
    time: { type: "string", value: "T", description: "slurm: time limit per run, e.g. 02:00:00" },
    mem: { type: "string", value: "M", description: "slurm: memory per run, e.g. 8G" },
    "cpus-per-task": { type: "string", value: "C", description: "slurm: cores per run" },
    "sbatch-arg": { type: "string", value: "X", multiple: true, description: "slurm: extra sbatch argument" },
    requeue: { type: "boolean", description: "slurm: requeue runs whose node fails" },
    "dry-run": { type: "boolean", description: "slurm: print the job script, submit nothing" },
    "no-report": { type: "boolean", description: "skip the report at the end" },
    quiet: { type: "boolean", description: "no log lines" },
    help: { type: "boolean", description: "this help" },
  };
}
