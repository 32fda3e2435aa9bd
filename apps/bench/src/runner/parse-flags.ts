import { parseArgs } from "node:util";
import type { FlagSpec, FlagValues } from "./experiment.js";

/**
 * `node:util` parseArgs over `specs`, strict, where a string flag's value may start with "-"
 * (`--epochs -1` reads as `--epochs=-1`, so validation can say "--epochs must be a positive
 * integer; got "-1"" instead of parseArgs' "argument is ambiguous").
 *
 * @param args - the arguments after the subcommand
 * @param specs - flag name -> spec
 * @param allowPositionals - whether bare arguments are accepted
 * @returns the values and positionals
 * @throws the ERR_PARSE_ARGS_* errors of parseArgs (unknown flag, missing value)
 * @example
 * parseFlags(["--epochs", "-1"], { epochs: { type: "string", description: "" } }).values.epochs; // "-1"
 */
export function parseFlags(args: readonly string[], specs: Readonly<Record<string, FlagSpec>>, allowPositionals = false): { values: FlagValues; positionals: string[] } {
  const known = (arg: string): boolean => arg.startsWith("--") && Object.hasOwn(specs, arg.slice(2).split("=")[0]!);
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const name = arg.startsWith("--") && !arg.includes("=") ? arg.slice(2) : null;
    const next = args[i + 1];
    if (name !== null && specs[name]?.type === "string" && next !== undefined && next.startsWith("-") && !known(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else joined.push(arg);
  }
  const options = Object.fromEntries(
    Object.entries(specs).map(([k, s]) => [k, { type: s.type, ...(s.multiple ? { multiple: true } : {}) }]),
  ) as Record<string, { type: "string" | "boolean"; multiple?: boolean }>;
  const { values, positionals } = parseArgs({ args: joined, options, strict: true, allowPositionals });
  return { values: values as FlagValues, positionals };
}

/** Usage lines of flags: `  --name VALUE   description (default ...)`. */
export function describeFlags(specs: Readonly<Record<string, FlagSpec>>): string[] {
  const left = Object.entries(specs).map(([k, s]) => `--${k}${s.type === "string" ? ` ${s.value ?? "VALUE"}` : ""}`);
  const width = Math.min(40, Math.max(...left.map((l) => l.length)));
  return Object.values(specs).map((s, i) => `  ${left[i]!.padEnd(width)}  ${s.description}${s.default !== undefined ? ` (default ${s.default})` : ""}${s.multiple ? " (repeatable)" : ""}`);
}
