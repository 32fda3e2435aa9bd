import type { TrainCheckpoint } from "@dale-nn/train";
import type { Progress } from "../progress.js";

/** A JSON value: what experiment options, run settings and records are made of. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** One command-line flag of an experiment: a `node:util` parseArgs option plus its help text. */
export interface FlagSpec {
  type: "string" | "boolean";
  /** The value's placeholder in the usage line, e.g. "N" or "mnist|fashion|kmnist". */
  value?: string;
  /** Default shown in the help (parsing passes undefined when the flag is absent). */
  default?: string;
  /** May be given several times (the parsed value is a string array). */
  multiple?: boolean;
  /** One line for `dale-bench <name> --help`. */
  description: string;
}

/** The parsed flags as `parseArgs` returns them. */
export type FlagValues = Record<string, string | boolean | string[] | undefined>;

/** One planned run: a stable id (the key of results, shards, checkpoints and locks) and its settings. */
export interface PlannedRun<S = Json> {
  runId: string;
  settings: S;
}

/** Every record a results store holds: the schema, the experiment and the run id, then the experiment's fields. */
export interface RunRecordBase {
  schema: number;
  experiment: string;
  runId: string;
}

/** What the runner gives `runOne`. */
export interface RunContext<P = unknown> {
  /** Absolute results folder. */
  out: string;
  /** The tfjs backend the run trains on ("wasm", "openblas", ...; "none" for experiments that do not train). */
  backend: string;
  /** The backends this run has trained on, resumes included, e.g. ["wasm", "openblas"]. */
  backends(): string[];
  /** What `prepare` returned in this process (the dataset loaded once). */
  prepared: P;
  /** The run's checkpoint to resume from, when a usable one exists. */
  resumeFrom: TrainCheckpoint | undefined;
  /** Saves the run's checkpoint (call after each epoch). */
  saveCheckpoint(checkpoint: TrainCheckpoint): void;
  /** 1-based index of this run among the runs this process does, and their count. */
  index: number;
  total: number;
  /** Log lines and the progress bar. */
  log(line: string): void;
  progress: Progress;
}

/**
 * One experiment of dale-bench: what it is (name, summary, help), its flags and profiles, its
 * plan of runs, how to run one run, how to check a record and how to report. The runner does
 * everything else (the folder, skipping finished runs, checkpoints, locks, shards, results.jsonl,
 * executors, sweeps) the same way for every experiment.
 *
 * @typeParam O - parsed options (JSON: they are stored in `<out>/experiment.json` and re-planned by workers)
 * @typeParam S - the settings of one run (JSON)
 * @typeParam R - the record of one finished run
 * @typeParam P - what `prepare` returns
 */
export interface Experiment<O extends { [key: string]: Json } = { [key: string]: Json }, S = Json, R extends RunRecordBase = RunRecordBase, P = unknown> {
  /** The subcommand, e.g. "ffwd". */
  readonly name: string;
  /** One line for `dale-bench --help`. */
  readonly summary: string;
  /** The paragraph of `dale-bench <name> --help`. */
  readonly help: string;
  /** Whether runs train tensors (then the runner adds --backend and picks one). */
  readonly trains: boolean;
  /** The experiment's own flags (the runner adds --out, --backend, --executor, --workers, --sweep, ...). */
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /** Profile names, for the help. */
  readonly profiles: readonly string[];
  /** Validates the flags into options. @throws UserError naming the flag, the value and what was expected */
  parse(values: FlagValues): O;
  /** The default results folder of these options (relative to the working directory). */
  defaultOut(options: O): string;
  /** Sweep keys (`--sweep key=...`) and how a value changes the options; see runner/sweep.ts. */
  readonly sweep?: Readonly<Record<string, SweepKey<O>>>;
  /** Sweeps the options imply (old shorthands, e.g. ffwd --search N = --sweep lr=log-uniform:1e-5:10:N); put before --sweep axes. */
  impliedSweep?(options: O): string[];
  /** The runs of the options, in order, each with a unique stable run id. */
  plan(options: O): PlannedRun<S>[];
  /** Once per process before its first run (e.g. load the dataset). */
  prepare?(options: O, runs: readonly PlannedRun<S>[], log: (line: string) => void): P | Promise<P>;
  /** Runs one run and returns its record (the runner writes it). */
  runOne(run: PlannedRun<S>, context: RunContext<P>): Promise<R>;
  /** Checks a parsed record; returns it (clean) or throws an Error naming `where`, the field and the value. */
  validateRecord(value: unknown, where: string): R;
  /** Writes the report from the records; returns the paths written (the markdown first). */
  report(out: string, records: R[], log: (line: string) => void): Promise<string[]>;
}

/** A key of `--sweep key=...`: which value forms it takes and what a value does to the options. */
export interface SweepKey<O> {
  /** One line for the help. */
  description: string;
  /** "list": `key=v1,v2` (numbers); "log-uniform": also `key=log-uniform:LOW:HIGH:N` (N trials). */
  kinds: ReadonlyArray<"list" | "log-uniform">;
  /** The options with this sweep value applied. A list value is a number; a log-uniform value is its trial. */
  apply(options: O, value: SweepValue): O;
}

/** One point of a sweep axis. */
export type SweepValue = { kind: "list"; value: number } | { kind: "log-uniform"; low: number; high: number; trial: number; trials: number };

/** A command of the registry that is not an experiment (perf, report, status, worker). */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Usage and help text of `dale-bench <name> --help`. */
  readonly help: string;
  /** Runs it; returns the exit status. */
  run(args: string[]): Promise<number>;
}

/** Any experiment, with its types erased (what the registry and the runner hold). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyExperiment = Experiment<any, any, any, any>;
