import { UserError } from "../../user-error.js";

/** What `--executor slurm` takes from the command line. */
export interface SlurmExecutorOptions {
  /** `--partition P`: the partition (or comma-separated partitions); the cluster's default when absent. */
  readonly partition?: string;
  /** `--time T`: wall-clock limit per run, in a format Slurm accepts (`04:00:00`, `90`, `1-12`). */
  readonly time?: string;
  /** `--mem M`: memory per run, e.g. `4G` or `4000M` (Slurm's unit is MB when none is given). */
  readonly memory?: string;
  /** `--cpus-per-task C`: CPUs per run (default 1); also the worker's OPENBLAS_NUM_THREADS. */
  readonly cpusPerTask?: number;
  /** `--sbatch-arg X` (repeatable): more sbatch options, written as `#SBATCH X` lines. */
  readonly extra: readonly string[];
  /** `--requeue`: let Slurm requeue a run (preemption, node failure, `scontrol requeue`). */
  readonly requeue: boolean;
  /** `--dry-run`: print the job script, write and submit nothing. */
  readonly dryRun: boolean;
  /** Environment for sbatch / squeue and the jobs (which inherit it); process.env when absent. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Slurm's time formats: `minutes`, `minutes:seconds`, `hours:minutes:seconds`, `days-hours`,
 * `days-hours:minutes`, `days-hours:minutes:seconds`, or `INFINITE` / `UNLIMITED`.
 */
const TIME = /^(?:\d+|\d+:[0-5]?\d|\d+:[0-5]?\d:[0-5]?\d|\d+-(?:[01]?\d|2[0-3])(?::[0-5]?\d(?::[0-5]?\d)?)?|INFINITE|UNLIMITED)$/i;
/** An integer amount with an optional K, M, G or T suffix (Slurm's --mem). */
const MEMORY = /^\d+[KMGT]?$/i;
/** sbatch options the executor sets itself: an --sbatch-arg may not override them. */
const OWN_OPTIONS = ["--array", "-a", "--output", "-o", "--error", "-e", "--parsable", "--dependency", "-d", "--open-mode", "--wrap", "--job-name", "-J", "--chdir", "-D"];
const UNSAFE = /["\n\r\0]/;

/**
 * Checks the Slurm options before anything is written or submitted.
 *
 * @param options - the options from the command line.
 * @returns the same options.
 * @throws UserError naming the offending value and what was expected: a time Slurm does not
 * accept, a memory amount without a known unit, a non-positive or fractional CPU count, a
 * partition with spaces or quotes, an --sbatch-arg that is not an option or that sets an option
 * the executor writes itself (--array, --output, --error, --dependency, ...).
 * @example
 * validateSlurmOptions({ time: "04:00:00", memory: "4G", extra: [], requeue: false, dryRun: false });
 */
export function validateSlurmOptions<T extends SlurmExecutorOptions>(options: T): T {
  const { partition, time, memory, cpusPerTask, extra } = options;
  if (partition !== undefined && !/^[A-Za-z0-9_.,-]+$/.test(partition)) {
    throw new UserError(`--partition: ${JSON.stringify(partition)} is not a partition name (letters, digits, _ . - and commas)`);
  }
  if (time !== undefined && !TIME.test(time)) {
    throw new UserError(
      `--time: ${JSON.stringify(time)} is not a time Slurm accepts (minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS, e.g. 04:00:00)`,
    );
  }
  if (memory !== undefined && !MEMORY.test(memory)) {
    throw new UserError(`--mem: ${JSON.stringify(memory)} is not a memory amount (an integer with an optional K, M, G or T suffix, e.g. 4G or 4000M)`);
  }
  if (cpusPerTask !== undefined && !(Number.isInteger(cpusPerTask) && cpusPerTask > 0)) {
    throw new UserError(`--cpus-per-task: ${String(cpusPerTask)} is not a positive integer`);
  }
  for (const arg of extra) {
    if (!arg.startsWith("-") || UNSAFE.test(arg)) {
      throw new UserError(`--sbatch-arg: ${JSON.stringify(arg)} is not an sbatch option (expected e.g. --account=lab or --qos=long, without double quotes or newlines)`);
    }
    const name = arg.split(/[=\s]/, 1)[0]!;
    const short = /^-[A-Za-z]/.test(name) && !name.startsWith("--") ? name.slice(0, 2) : name;
    if (OWN_OPTIONS.includes(short)) {
      throw new UserError(`--sbatch-arg: ${JSON.stringify(arg)} sets ${short}, which the Slurm executor writes itself`);
    }
  }
  return options;
}
