import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { writeFileAtomic } from "../report/write-file-atomic.js";
import { readExperimentFile } from "./experiment-folder.js";
import type { AnyExperiment } from "./experiment.js";

/** The heading of the section the runner adds to every report. */
export const COMMANDS_HEADING = "## Commands";

/**
 * Writes an experiment's report (its own `report`), then ends its `report.md` with the commands
 * that made the folder's runs (experiment.json's `commands`, oldest first), so that every number
 * in a committed report comes with the command that produced it. The one place both the runner
 * and `dale-bench report` write reports through.
 *
 * @returns the paths the experiment's report wrote
 */
export async function writeExperimentReport(experiment: AnyExperiment, out: string, records: unknown[], log: (line: string) => void): Promise<string[]> {
  const paths = await experiment.report(out, records as never[], log);
  const markdown = paths.find((p) => basename(p) === "report.md");
  const commands = readExperimentFile(out)?.commands ?? [];
  if (markdown !== undefined && existsSync(markdown) && commands.length > 0) {
    const text = readFileSync(markdown, "utf8");
    writeFileAtomic(markdown, `${text.endsWith("\n") ? text : `${text}\n`}${commandsSection(commands)}`);
  }
  return paths;
}

/** The markdown of the commands section. */
export function commandsSection(commands: readonly string[]): string {
  return [
    "",
    COMMANDS_HEADING,
    "",
    `The runs in this folder were made by ${commands.length === 1 ? "this command" : `these ${commands.length} commands`}, from the repository root. A finished run is skipped, so rerunning a command resumes it; \`npx dale-bench report <this folder>\` rebuilds this report.`,
    "",
    "```sh",
    ...commands,
    "```",
    "",
  ].join("\n");
}
