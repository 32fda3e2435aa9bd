import type { Command } from "../runner/experiment.js";
import { folderArgument } from "../runner/folder-argument.js";

/** A command that takes one results folder, `dale-bench <name> DIR`, and runs `fn` on its absolute path. */
export function folderCommand(name: string, summary: string, help: string, fn: (dir: string) => Promise<number>): Command {
  return { name, summary, help, run: (args) => fn(folderArgument(name, args)) };
}
