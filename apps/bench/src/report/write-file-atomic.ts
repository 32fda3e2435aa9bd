import { randomBytes } from "node:crypto";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { UserError } from "../user-error.js";

const NO_SPACE = new Set(["ENOSPC", "EDQUOT", "EROFS", "EACCES", "EPERM"]);

/** A unique temporary name beside `path`: `.<name>.<pid>.<8 hex>.tmp`. */
function tmpName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

/**
 * Writes `data` to a temporary file unique to this process beside `path`, then renames it over
 * `path`, so a reader (or an interrupted write, or another process writing the same file) never
 * sees a half-written file. The temporary file is removed when the write fails. Creates the folder.
 *
 * @param path - the file to write
 * @param data - its new contents
 * @throws UserError in one line when the disk is full or the folder is not writable (ENOSPC, EDQUOT, EROFS, EACCES, EPERM)
 * @example
 * writeFileAtomic("results/ffwd/report.md", "# report\n");
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = tmpName(path);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw asWriteError(err, path);
  }
}

/**
 * A full disk or an unwritable folder as a one-line UserError naming the file
 * (`cannot write <path>: ENOSPC (disk full)`); any other error unchanged.
 */
export function asWriteError(err: unknown, path: string): unknown {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code !== undefined && NO_SPACE.has(code)) {
    return new UserError(`cannot write ${path}: ${code}${code === "ENOSPC" || code === "EDQUOT" ? " (disk full)" : " (not writable)"}`);
  }
  return err;
}
