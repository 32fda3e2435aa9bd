import { isAbsolute, relative } from "node:path";

/** Flags that change what is printed, not what is run: left out of a recorded command. */
const COSMETIC_FLAGS = new Set(["--quiet", "--no-report"]);

/** One shell word: as is when it holds only safe characters, else single-quoted. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9_./=:,@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command line an experiment invocation can be rerun with, `npx dale-bench <experiment> <args>`,
 * as recorded in `<out>/experiment.json` and printed in the report: the arguments as given, less
 * `--quiet` and `--no-report`, with an absolute `--out` under `cwd` made relative to it (the
 * commands are meant to be run from the repository root, on any machine).
 *
 * @example
 * invocationCommand("rnn", ["--profile", "paper", "--out", "/repo/docs/results/x"], "/repo"); // "npx dale-bench rnn --profile paper --out docs/results/x"
 */
export function invocationCommand(experiment: string, args: readonly string[], cwd: string): string {
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (COSMETIC_FLAGS.has(arg)) continue;
    if (arg === "--out" && i + 1 < args.length) {
      words.push(arg, portablePath(args[++i]!, cwd));
    } else if (arg.startsWith("--out=")) {
      words.push(`--out=${portablePath(arg.slice("--out=".length), cwd)}`);
    } else {
      words.push(arg);
    }
  }
  return ["npx", "dale-bench", experiment, ...words].map(shellWord).join(" ");
}

function portablePath(path: string, cwd: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(cwd, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}
