import { describe, expect, it } from "vitest";
import { UserError } from "../../user-error.js";
import { firstLine, runSlurmCommand } from "./slurm-command.js";

describe("runSlurmCommand(command, args, env)", () => {
  it("runSlurmCommand('sh', ['-c', 'echo ok']) resolves with its stdout", async () => {
    expect((await runSlurmCommand("sh", ["-c", "echo ok"], process.env)).stdout).toBe("ok\n");
  });
  it("runSlurmCommand('squeue') without it on PATH rejects with one UserError line", async () => {
    await expect(runSlurmCommand("squeue", [], { PATH: "/nonexistent" })).rejects.toThrow(
      new UserError("squeue not found on PATH; install Slurm's client or use --executor local"),
    );
  });
  it("a failing command rejects with `<command> failed: <first stderr line>`", async () => {
    await expect(runSlurmCommand("sh", ["-c", "printf '\\n  first  \\nsecond\\n' >&2; exit 3"], process.env)).rejects.toThrow(/^sh failed: first$/);
  });
});

describe("firstLine(text)", () => {
  it("firstLine('\\n  a \\nb') is 'a'; firstLine('') is ''", () => {
    expect(firstLine("\n  a \nb")).toBe("a");
    expect(firstLine("")).toBe("");
  });
});
