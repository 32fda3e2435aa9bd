import { EXPERIMENTS, COMMANDS } from "./experiments/registry.js";
import { runExperiment, experimentHelp } from "./runner/run-experiment.js";
import { UserError } from "./user-error.js";

/** `dale-bench --help`: every command of the registry with its summary. */
export function usage(): string {
  const names = [...EXPERIMENTS.map((e) => e.name), ...COMMANDS.map((c) => c.name)];
  const width = Math.max(...names.map((n) => n.length));
  return [
    "usage: dale-bench <command> [flags]      (dale-bench <command> --help for its flags)",
    "",
    "experiments (every one: --out DIR, --sweep KEY=..., --executor local|slurm, --workers N, --no-report, --quiet; training ones: --backend):",
    ...EXPERIMENTS.map((e) => `  ${e.name.padEnd(width)}  ${e.summary}`),
    "",
    "commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join("\n");
}

/**
 * The dale-bench command line: dispatches to the experiment or command of the registry. Bad
 * input is one line on stderr and exit status 2, without a stack trace.
 *
 * @returns the exit status
 */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === "help" || command === "--help" || command === "-h") {
      const topic = command === "help" ? rest[0] : undefined;
      const experiment = EXPERIMENTS.find((e) => e.name === topic);
      const cmd = COMMANDS.find((c) => c.name === topic);
      process.stdout.write(`${experiment ? experimentHelp(experiment) : cmd ? cmd.help : usage()}\n`);
      return command === undefined ? 2 : 0;
    }
    const experiment = EXPERIMENTS.find((e) => e.name === command);
    if (experiment) return await runExperiment(experiment, rest);
    const cmd = COMMANDS.find((c) => c.name === command);
    if (cmd) {
      if (rest.includes("--help") || rest.includes("-h")) {
        process.stdout.write(`${cmd.help}\n`);
        return 0;
      }
      return await cmd.run(rest);
    }
    const all = [...EXPERIMENTS.map((e) => e.name), ...COMMANDS.map((c) => c.name)];
    throw new UserError(`unknown command ${JSON.stringify(command)}; expected ${all.slice(0, -1).join(", ")} or ${all.at(-1)} (dale-bench --help)`);
  } catch (e) {
    const err = e as Error & { code?: string };
    if (e instanceof UserError || err.code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`dale-bench: ${err.message.split("\n")[0]}\n`);
      return 2;
    }
    throw e;
  }
}
