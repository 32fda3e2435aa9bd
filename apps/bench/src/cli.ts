import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { UserError } from "./user-error.js";
import { loadOpenBlas } from "./load-openblas.js";
import { selectBackend, BACKEND_CHOICES } from "./backend.js";
import { FFWD_DATASETS, FFWD_MODELS, TABLE_MODELS, type FfwdDataset, type FfwdModel } from "./ffwd/ffwd-models.js";
import { FFWD_PROFILES } from "./ffwd/ffwd-profiles.js";
import { executeFfwdRuns, planFfwdRuns } from "./ffwd/run-ffwd.js";
import { Progress } from "./progress.js";
import { writeReport } from "./report/write-report.js";
import { spectraFigure } from "./spectra-figure/spectra-figure.js";
import { runTransplantExperiment, writeTransplantReport } from "./rnn/transplant-experiment.js";
import { runEiSweep, writeEiSweepReport } from "./rnn/ei-sweep-experiment.js";
import { RNN_BENCH_MODELS, RNN_PROFILES, RNN_TASKS, readRnnRecords, runRnnExperiment, writeRnnReport, type RnnBenchModel, type RnnTaskName } from "./rnn/rnn-experiment.js";
import { NSE_PROFILES, readNseRecords, renderNseMarkdown, runNse } from "./nse/nse-experiment.js";
import { perfCommand } from "./perf/run-perf.js";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";

const USAGE = `usage:
  dale-bench ffwd [--dataset mnist|fashion|kmnist] [--profile smoke|quick|paper] [--backend auto|tensorflow|wasm|cpu]
                  [--out DIR] [--data-dir DIR] [--models m1,m2,...] [--search N] [--no-report]
                  [--epochs N] [--train-limit N] [--quiet]
  dale-bench nse [--profile smoke|quick|paper] [--out DIR]
  dale-bench spectra [--n 100] [--inhibitory 0.1] [--draws 100] [--rho 1.5] [--out DIR]
  dale-bench rnn [--task adding|seqmnist|all] [--profile smoke|quick|paper] [--models rnn,colei,colei-noclip,dann]
                 [--backend ...] [--out DIR]
  dale-bench transplant [--profile smoke|quick|paper] [--backend ...] [--out DIR]
  dale-bench ei-sweep [--profile smoke|quick|paper] [--backend ...] [--out DIR]
  dale-bench perf [--quick] [--backends openblas,wasm,cpu] [--workloads mlp,dann,rnn,spectra] [--batches 32,256]
                  [--threads 1] [--json] [--out FILE] [--memory STEPS]
  dale-bench report DIR

ffwd trains the feedforward models of Cornford et al. (2021) (${FFWD_MODELS.join(", ")}) with the
paper's learning rates (default: the models of the dataset's table: MNIST ${TABLE_MODELS.mnist.join(", ")};
Fashion-MNIST and K-MNIST ${TABLE_MODELS.fashion.join(", ")}; --models all for all seven), appends one JSON line per finished run to DIR/results.jsonl, skips runs
already there (rerun the same command to resume) and ends with DIR/report.md and SVG plots.
Profiles: smoke (1 epoch on 6,000 images, minutes), quick (3 epochs, 1 seed), paper (50 epochs, 6 seeds).
--search N runs the paper's learning-rate search instead: N log-uniform rates in [1e-5, 10] per
model, 3 seeds each, scored on a 10k validation split.
nse computes Table 3 of Li et al. (2023): the normalised SVD entropy of the recurrent weights at
initialisation of standard, ColEI and DANN RNNs for n = 100, 300, 1000 and 1%, 10%, 50% inhibitory
units, averaged over draws, resumable, with DIR/report.md.
perf measures training throughput (samples/s; forward, loss, backward, projected SGD update) of
our MLP, DANN and RNN on each tfjs backend next to the same models in PyTorch (/usr/bin/python3 or
DALE_PYTHON), and eigenvalue / singular-value times next to numpy; --quick takes under two minutes.
--memory STEPS instead trains each workload for STEPS updates and samples the tensor count and
the process memory (RSS, V8 heap, ArrayBuffers) ten times.
--backend auto (the training commands) picks tensorflow (tfjs-node, when installed), then openblas
(@dale-nn/openblas, when built against libopenblas-dev), then wasm, then cpu.`;

function writeAtomic(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

/** Routes spectra's eigenvalues / singular values through LAPACK when @dale-nn/openblas is built; prints which. */
async function useFastestSpectra(): Promise<void> {
  const blas = await loadOpenBlas();
  process.stdout.write(`${typeof blas === "string" ? `spectra: JavaScript solvers (${blas})` : blas.registerOpenBlasSpectra().notice}\n`);
}

async function nse(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { profile: { type: "string", default: "quick" }, out: { type: "string" } }, strict: true });
  const profileName = oneOf("--profile", values.profile!, Object.keys(NSE_PROFILES) as Array<keyof typeof NSE_PROFILES>);
  const out = resolve(values.out ?? `results/nse-${profileName}`);
  await useFastestSpectra();
  const records = runNse({ profile: NSE_PROFILES[profileName], out, log: (l) => process.stdout.write(`${l}\n`) });
  writeAtomic(join(out, "report.md"), renderNseMarkdown(records, `NSE at initialisation: ${basename(out)}`));
  process.stdout.write(`dale-bench: report ${join(out, "report.md")}\n`);
}

async function spectra(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      n: { type: "string", default: "100" },
      inhibitory: { type: "string", default: "0.1" },
      draws: { type: "string", default: "100" },
      rho: { type: "string", default: "1.5" },
      out: { type: "string" },
    },
    strict: true,
  });
  const int = (flag: string, v: string, min: number): number => {
    const x = Number(v);
    if (!Number.isInteger(x) || x < min) throw new UserError(`${flag} must be an integer >= ${min}; got ${JSON.stringify(v)}`);
    return x;
  };
  const n = int("--n", values.n!, 4);
  const draws = int("--draws", values.draws!, 1);
  const f = Number(values.inhibitory);
  if (!(f > 0 && f < 1)) throw new UserError(`--inhibitory must be a fraction in (0, 1); got ${JSON.stringify(values.inhibitory)}`);
  const rho = Number(values.rho);
  if (!(rho > 0) || !Number.isFinite(rho)) throw new UserError(`--rho must be a number > 0; got ${JSON.stringify(values.rho)}`);
  const out = resolve(values.out ?? `results/spectra-n${n}`);
  await useFastestSpectra();
  await spectraFigure({ n, inhibitoryFraction: f, draws, rho, out, log: (l) => process.stdout.write(`${l}\n`) });
  process.stdout.write(`dale-bench: report ${join(out, "report.md")}\n`);
}

async function rnn(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      task: { type: "string", default: "all" },
      profile: { type: "string", default: "smoke" },
      models: { type: "string" },
      backend: { type: "string", default: "auto" },
      out: { type: "string" },
    },
    strict: true,
  });
  const tasks = values.task === "all" ? [...RNN_TASKS] : [oneOf("--task", values.task!, RNN_TASKS) as RnnTaskName];
  const profileName = oneOf("--profile", values.profile!, Object.keys(RNN_PROFILES) as Array<keyof typeof RNN_PROFILES>);
  const models = values.models ? values.models.split(",").map((m) => oneOf("--models entry", m.trim(), RNN_BENCH_MODELS) as RnnBenchModel) : [...RNN_BENCH_MODELS];
  oneOf("--backend", values.backend!, BACKEND_CHOICES);
  const out = resolve(values.out ?? `results/rnn-${values.task}-${profileName}`);
  const { backend, description } = await selectBackend(values.backend!);
  process.stdout.write(`dale-bench: backend ${description}\n`);
  const records = await runRnnExperiment({ tasks, models, profile: RNN_PROFILES[profileName], out, backend, log: (l) => process.stdout.write(`${l}\n`) });
  process.stdout.write(`dale-bench: report ${await writeRnnReport(out, records)}\n`);
}

async function seqMnistExperiment(kind: "transplant" | "ei-sweep", args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { profile: { type: "string", default: "smoke" }, backend: { type: "string", default: "auto" }, out: { type: "string" } },
    strict: true,
  });
  const profileName = oneOf("--profile", values.profile!, Object.keys(RNN_PROFILES) as Array<keyof typeof RNN_PROFILES>);
  oneOf("--backend", values.backend!, BACKEND_CHOICES);
  const out = resolve(values.out ?? `results/${kind}-${profileName}`);
  const { backend, description } = await selectBackend(values.backend!);
  process.stdout.write(`dale-bench: backend ${description}\n`);
  const log = (l: string): void => void process.stdout.write(`${l}\n`);
  const profile = RNN_PROFILES[profileName];
  if (kind === "transplant") await runTransplantExperiment({ profile, out, backend, log });
  else await runEiSweep({ profile, out, backend, log });
  process.stdout.write(`dale-bench: report ${join(out, "report.md")}\n`);
}

/** The experiment of a results directory, from its first result line. */
function experimentOf(dir: string): string | null {
  const file = join(dir, "results.jsonl");
  if (!existsSync(file)) return null;
  const first = readFileSync(file, "utf8").split("\n").find((l) => l.trim());
  try {
    return first ? ((JSON.parse(first) as { experiment?: string }).experiment ?? null) : null;
  } catch {
    return null;
  }
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new UserError(`unknown ${flag} ${JSON.stringify(value)}; expected one of ${allowed.join(", ")}`);
  return value as T;
}

async function ffwd(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      dataset: { type: "string", default: "mnist" },
      profile: { type: "string", default: "smoke" },
      backend: { type: "string", default: "auto" },
      out: { type: "string" },
      "data-dir": { type: "string" },
      models: { type: "string" },
      search: { type: "string" },
      "no-report": { type: "boolean", default: false },
      quiet: { type: "boolean", default: false },
      epochs: { type: "string" },
      "train-limit": { type: "string" },
    },
    strict: true,
  });
  const dataset = oneOf("--dataset", values.dataset!, FFWD_DATASETS) as FfwdDataset;
  const profileName = oneOf("--profile", values.profile!, Object.keys(FFWD_PROFILES) as Array<keyof typeof FFWD_PROFILES>);
  let profile = FFWD_PROFILES[profileName];
  // Overrides change what a run is, so they become part of the profile label (and the run ids).
  const positive = (flag: string, v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new UserError(`${flag} must be a positive integer; got ${JSON.stringify(v)}`);
    return n;
  };
  if (values.epochs !== undefined) {
    const epochs = positive("--epochs", values.epochs);
    profile = { ...profile, epochs, label: `${profile.label}+epochs=${epochs}` };
  }
  if (values["train-limit"] !== undefined) {
    const trainLimit = positive("--train-limit", values["train-limit"]);
    profile = { ...profile, trainLimit, label: `${profile.label}+train=${trainLimit}` };
  }
  const models =
    values.models === undefined
      ? [...TABLE_MODELS[dataset]]
      : values.models === "all"
        ? [...FFWD_MODELS]
        : values.models.split(",").map((m) => oneOf("--models entry", m.trim(), FFWD_MODELS) as FfwdModel);
  let search: number | undefined;
  if (values.search !== undefined) {
    search = Number(values.search);
    if (!Number.isInteger(search) || search < 1) throw new UserError(`--search must be a positive integer; got ${JSON.stringify(values.search)}`);
  }
  oneOf("--backend", values.backend!, BACKEND_CHOICES);
  const out = resolve(values.out ?? `results/ffwd-${dataset}-${search ? "search-" : ""}${profileName}`);
  const progress = new Progress(Boolean(process.stdout.isTTY), values.quiet);
  const { backend, description } = await selectBackend(values.backend!);
  progress.log(`dale-bench: backend ${description}`);
  const runs = planFfwdRuns({ dataset, models, profile, ...(search ? { search } : {}) });
  await executeFfwdRuns({ runs, out, backend, progress, ...(values["data-dir"] ? { dataDir: resolve(values["data-dir"]) } : {}) });
  if (!values["no-report"]) {
    const report = await writeReport(out);
    progress.log(`dale-bench: report ${report.markdownPath}`);
  }
}

async function report(args: string[]): Promise<void> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {}, strict: true });
  if (positionals.length !== 1) throw new UserError(`report takes one directory; got ${positionals.length} arguments`);
  const dir = resolve(positionals[0]!);
  if (experimentOf(dir) === "transplant") {
    process.stdout.write(`dale-bench: wrote ${writeTransplantReport(dir, readRnnRecords(dir))}\n`);
    return;
  }
  if (experimentOf(dir) === "ei-sweep") {
    process.stdout.write(`dale-bench: wrote ${writeEiSweepReport(dir, readRnnRecords(dir))}\n`);
    return;
  }
  if (experimentOf(dir) === "rnn") {
    process.stdout.write(`dale-bench: wrote ${await writeRnnReport(dir, readRnnRecords(dir))}\n`);
    return;
  }
  if (experimentOf(dir) === "nse") {
    writeAtomic(join(dir, "report.md"), renderNseMarkdown(readNseRecords(dir), `NSE at initialisation: ${basename(dir)}`));
    process.stdout.write(`dale-bench: wrote ${join(dir, "report.md")}\n`);
    return;
  }
  let r;
  try {
    r = await writeReport(dir);
  } catch (e) {
    throw new UserError((e as Error).message);
  }
  process.stdout.write(`dale-bench: wrote ${r.markdownPath} and ${r.plotPaths.length} plot(s) from ${r.runs} run(s)\n`);
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "ffwd":
        await ffwd(rest);
        return 0;
      case "nse":
        await nse(rest);
        return 0;
      case "spectra":
        await spectra(rest);
        return 0;
      case "rnn":
        await rnn(rest);
        return 0;
      case "transplant":
      case "ei-sweep":
        await seqMnistExperiment(command, rest);
        return 0;
      case "report":
        await report(rest);
        return 0;
      case "perf":
        return await perfCommand(rest);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UserError(`unknown command ${JSON.stringify(command)}; expected ffwd, rnn, transplant, ei-sweep, nse, spectra, perf or report (dale-bench --help)`);
    }
  } catch (e) {
    const err = e as Error & { code?: string };
    if (e instanceof UserError || err.code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`dale-bench: ${err.message}\n`);
      return 2;
    }
    throw e;
  }
}

