import { join } from "node:path";
import { writeFileAtomic } from "./write-file-atomic.js";

/**
 * Writes `<out>/report.md` atomically from its lines (joined with newlines, ending in one).
 *
 * @returns the path written
 * @example
 * writeMarkdownReport("results/nse-quick", ["# NSE", "", "| a |"]);
 */
export function writeMarkdownReport(out: string, lines: readonly string[] | string): string {
  const path = join(out, "report.md");
  const text = typeof lines === "string" ? lines : `${lines.join("\n")}\n`;
  writeFileAtomic(path, text);
  return path;
}
