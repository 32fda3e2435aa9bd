/**
 * The lines of a markdown table: header, separator, one line per row (cells as given).
 *
 * @example
 * markdownTable(["model", "error"], [["mlp", "1.4"]]); // ["| model | error |", "| --- | --- |", "| mlp | 1.4 |"]
 */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  return [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)];
}
