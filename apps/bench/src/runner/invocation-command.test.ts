import { describe, expect, it } from "vitest";
import { invocationCommand } from "./invocation-command.js";

describe("invocationCommand", () => {
  it("gives the arguments as given, without the cosmetic flags, with --out relative to the working folder", () => {
    expect(invocationCommand("radius-sweep", ["--profile", "paper", "--sweep", "clip=10", "--quiet", "--out", "/repo/docs/results/r"], "/repo")).toBe(
      "npx dale-bench radius-sweep --profile paper --sweep clip=10 --out docs/results/r",
    );
    expect(invocationCommand("rnn", ["--out=/repo/x", "--no-report"], "/repo")).toBe("npx dale-bench rnn --out=x");
  });

  it("keeps a path outside the working folder absolute and quotes words a shell would split", () => {
    expect(invocationCommand("ffwd", ["--out", "/elsewhere/r", "--sbatch-arg", "--qos=high prio", "--mem", "it's"], "/repo")).toBe(
      "npx dale-bench ffwd --out /elsewhere/r --sbatch-arg '--qos=high prio' --mem 'it'\\''s'",
    );
  });
});
