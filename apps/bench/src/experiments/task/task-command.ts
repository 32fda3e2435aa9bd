import type { Command } from "../../runner/experiment.js";
import { integerFlag, oneOf } from "../../runner/flag-values.js";
import { describeFlags, parseFlags } from "../../runner/parse-flags.js";
import { runExperiment } from "../../runner/run-experiment.js";
import { runnerFlags } from "../../runner/runner-flags.js";
import { UserError } from "../../user-error.js";
import { CT_TASKS } from "../mix/ct-tasks.js";
import { mixExperiment } from "../mix/mix-experiment.js";
import { CONDITION_FLAGS, MIX_MODELS, checkA0, parseMixProfile } from "../mix/mix-options.js";
import type { FlagSpec } from "../../runner/experiment.js";

/** The flags of `dale-bench task` (the conditions of mix, one model, one a0, one seed). */
export const TASK_FLAGS: Record<string, FlagSpec> = {
  model: { type: "string", value: MIX_MODELS.join("|"), default: "mixture", description: "the recurrent matrix" },
  a0: { type: "string", value: "A", default: "0.5", description: "initial mixing weight in (0, 1) (mixture)" },
  seed: { type: "string", value: "S", default: "0", description: "seed" },
  ...CONDITION_FLAGS,
};

const HELP = [
  "dale-bench task: train one continuous-time E/I network on one task and report its accuracy (test error for seqmnist) and psychometric curve",
  "",
  `usage: dale-bench task NAME [flags]      NAME: ${CT_TASKS.join(", ")}`,
  "",
  ...describeFlags(TASK_FLAGS),
  "",
  "runner flags:",
  ...describeFlags(runnerFlags(true)),
  "",
  "One run of `dale-bench mix` (the same code, records and report: the results folder is a mix folder, so `dale-bench report|status DIR` and the",
  "executors work on it); default --out results/task-NAME-PROFILE, where runs of other models, a0, seeds or conditions accumulate and are compared.",
].join("\n");

/**
 * `dale-bench task NAME [--model dale|free|mixture] [--a0 A] [--units N] [--steps N] [--seed S] ...`:
 * one run of {@link mixExperiment} with the task given as a positional argument.
 *
 * @throws UserError on a missing or unknown task name or a bad flag value (one line, exit 2)
 */
export const taskCommand: Command = {
  name: "task",
  summary: "train one CT E/I network (dale, free or mixture) on one cognitive task or seqmnist: accuracy and psychometric curve",
  help: HELP,
  async run(args) {
    const specs = { ...TASK_FLAGS, ...runnerFlags(true) };
    const { values, positionals } = parseFlags(args, specs, true);
    if (values.help === true) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    if (positionals.length !== 1) throw new UserError(`task takes one task name, one of ${CT_TASKS.join(", ")}; got ${positionals.length === 0 ? "none" : positionals.map((p) => JSON.stringify(p)).join(" ")}`);
    const name = oneOf("task", positionals[0]!, CT_TASKS);
    const model = oneOf("--model", (values.model as string | undefined) ?? "mixture", MIX_MODELS);
    const a0 = checkA0("--a0", (values.a0 as string | undefined) ?? "0.5");
    const seed = integerFlag("--seed", (values.seed as string | undefined) ?? "0", 0);
    const profile = parseMixProfile(values.profile);
    const forwarded = ["--tasks", name, "--models", model, "--a0", String(a0), "--seed", String(seed), "--seeds", "1"];
    for (const [key, value] of Object.entries(values)) {
      if (key === "model" || key === "a0" || key === "seed" || value === undefined) continue;
      if (value === true) forwarded.push(`--${key}`);
      else if (Array.isArray(value)) for (const v of value) forwarded.push(`--${key}=${v}`);
      else if (typeof value === "string") forwarded.push(`--${key}=${value}`);
    }
    if (!values.out) forwarded.push(`--out=results/task-${name}-${profile}`);
    return runExperiment(mixExperiment, forwarded);
  },
};
