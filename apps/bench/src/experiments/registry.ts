import { perfCommand } from "../perf/run-perf.js";
import { reportCommand } from "../commands/report-command.js";
import { statusCommand } from "../commands/status-command.js";
import { workerCommand } from "../commands/worker-command.js";
import type { AnyExperiment, Command } from "../runner/experiment.js";
import { eiSweepExperiment } from "./ei-sweep/ei-sweep-experiment.js";
import { radiusSweepExperiment } from "./radius-sweep/radius-sweep-experiment.js";
import { ffwdExperiment } from "./ffwd/ffwd-experiment.js";
import { nseExperiment } from "./nse/nse-experiment.js";
import { rnnExperiment } from "./rnn/rnn-experiment.js";
import { spectraFigureExperiment } from "./spectra-figure/spectra-figure-experiment.js";
import { transplantExperiment } from "./transplant/transplant-experiment.js";
import { convExperiment } from "./conv/conv-experiment.js";
import { selectivityCommand } from "./selectivity/selectivity-command.js";
import { mixExperiment } from "./mix/mix-experiment.js";
import { fisherExperiment } from "./fisher/fisher-experiment.js";
import { taskCommand } from "./task/task-command.js";

/** Every experiment of dale-bench, in help order: the one list (a new experiment is one folder and one line here). */
export const EXPERIMENTS: readonly AnyExperiment[] = [
  ffwdExperiment,
  rnnExperiment,
  transplantExperiment,
  eiSweepExperiment,
  radiusSweepExperiment,
  nseExperiment,
  spectraFigureExperiment,
  convExperiment,
  mixExperiment,
  fisherExperiment,
];

/** The commands that are not experiments. */
export const COMMANDS: readonly Command[] = [
  taskCommand,
  {
    name: "perf",
    summary: "training throughput of our stack next to PyTorch, spectra next to numpy",
    help: "usage: dale-bench perf [--quick] [--backends openblas,wasm,cpu] [--workloads mlp,dann,rnn,ctrnn,spectra] [--batches 32,256] [--threads 1] [--json] [--out FILE] [--memory STEPS]",
    run: (args) => perfCommand(args),
  },
  reportCommand(EXPERIMENTS),
  statusCommand(EXPERIMENTS),
  workerCommand(EXPERIMENTS),
  selectivityCommand,
];
