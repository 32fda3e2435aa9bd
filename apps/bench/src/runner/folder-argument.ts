import { resolve } from "node:path";
import { UserError } from "../user-error.js";
import { parseFlags } from "./parse-flags.js";

/**
 * The one results folder a command such as `report DIR` or `status DIR` takes (no flags), absolute.
 *
 * @throws UserError `<command> takes one directory; got N arguments`, or an unknown flag
 */
export function folderArgument(command: string, args: readonly string[]): string {
  const { positionals } = parseFlags(args, {}, true);
  if (positionals.length !== 1) throw new UserError(`${command} takes one directory; got ${positionals.length} arguments`);
  return resolve(positionals[0]!);
}
