import type { Executor } from "../executors/executor.js";
import { createLocalExecutor } from "../executors/local-executor.js";
import { UserError } from "../user-error.js";
import type { FlagValues } from "./experiment.js";
import { integerFlag } from "./flag-values.js";

/** What the flags ask for: run in this process, or hand the runs to an executor. */
export type ExecutorChoice = { kind: "in-process" } | { kind: "executor"; create: () => Promise<Executor> };

const SLURM_FLAGS = ["partition", "time", "mem", "cpus-per-task", "sbatch-arg", "requeue", "dry-run"] as const;

/**
 * Reads --executor, --workers and the Slurm flags. Neither (or `--workers 1`):
 * in this process. `--executor local [--workers N]`: N worker processes (default one per core).
 * `--executor slurm ...`: the Slurm executor (loaded on demand).
 *
 * @throws UserError for an unknown executor, a bad worker count, or flags of the other executor
 */
export function selectExecutor(values: FlagValues): ExecutorChoice {
  const name = values.executor as string | undefined;
  if (name !== undefined && name !== "local" && name !== "slurm") throw new UserError(`unknown --executor ${JSON.stringify(name)}; expected one of local, slurm`);
  const slurmFlags = SLURM_FLAGS.filter((f) => values[f] !== undefined);
  if (name !== "slurm" && slurmFlags.length > 0) throw new UserError(`--${slurmFlags[0]} needs --executor slurm`);
  if (name === "slurm") {
    if (values.workers !== undefined) throw new UserError("--workers is for --executor local; Slurm runs one task per run");
    const cpus = values["cpus-per-task"] === undefined ? undefined : integerFlag("--cpus-per-task", values["cpus-per-task"] as string);
    const nonEmpty = (flag: string): string | undefined => {
      const v = values[flag] as string | undefined;
      if (v !== undefined && v.trim() === "") throw new UserError(`--${flag} must not be empty; got ""`);
      return v;
    };
    const options = {
      ...(nonEmpty("partition") !== undefined ? { partition: values.partition as string } : {}),
      ...(nonEmpty("time") !== undefined ? { time: values.time as string } : {}),
      ...(nonEmpty("mem") !== undefined ? { memory: values.mem as string } : {}),
      ...(cpus !== undefined ? { cpusPerTask: cpus } : {}),
      extra: (values["sbatch-arg"] as string[] | undefined) ?? [],
      requeue: values.requeue === true,
      dryRun: values["dry-run"] === true,
    };
    return {
      kind: "executor",
      create: async () => {
        let mod: typeof import("../executors/slurm/slurm-executor.js");
        try {
          mod = await import("../executors/slurm/slurm-executor.js");
        } catch (e) {
          throw new UserError(`--executor slurm is unavailable (${(e as Error).message.split("\n")[0]})`);
        }
        return mod.createSlurmExecutor(options);
      },
    };
  }
  const workers = values.workers === undefined ? undefined : integerFlag("--workers", values.workers as string);
  // --workers alone means the local executor; --workers 1 runs in this process.
  if ((name === undefined && workers === undefined) || workers === 1) return { kind: "in-process" };
  return { kind: "executor", create: async () => createLocalExecutor(workers === undefined ? {} : { workers }) };
}
