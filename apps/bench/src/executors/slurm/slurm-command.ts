import { execFile } from "node:child_process";
import { UserError } from "../../user-error.js";

/** What a Slurm client command printed. */
export interface SlurmCommandOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/** The first non-empty line of a command's stderr, trimmed (Slurm puts the reason there). */
export function firstLine(text: string): string {
  return text.split("\n").map((l) => l.trim()).find((l) => l !== "") ?? "";
}

/**
 * Runs a Slurm client (sbatch, squeue, sacct, ...) without blocking the event loop. The command is
 * looked up on `env.PATH`.
 *
 * @param command - the client's name.
 * @param args - its arguments (passed as they are, never through a shell).
 * @param env - the environment (SLURM_CONF, PATH, ... ; the job inherits it under sbatch).
 * @param cwd - the working folder.
 * @returns stdout and stderr when it exits 0.
 * @throws UserError `<command> not found on PATH; install Slurm's client or use --executor local`
 * when it is absent, and `<command> failed: <first line of stderr>` when it exits non-zero.
 */
export function runSlurmCommand(command: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<SlurmCommandOutput> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { env, cwd, maxBuffer: 64 * 2 ** 20 }, (error, stdout, stderr) => {
      if (!error) return resolve({ stdout, stderr });
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        return reject(new UserError(`${command} not found on PATH; install Slurm's client or use --executor local`));
      }
      const reason = firstLine(stderr) || firstLine(stdout) || `exit status ${String(error.code ?? error.signal)}`;
      reject(new UserError(`${command} failed: ${reason}`));
    });
  });
}
