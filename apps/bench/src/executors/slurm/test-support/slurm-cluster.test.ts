import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findExecutable, skipWithoutSlurm, slurmClusterAvailability } from "./slurm-cluster.js";

let empty: string;
beforeAll(async () => {
  empty = await mkdtemp(join(tmpdir(), "dale-no-slurm-"));
});
afterAll(async () => {
  await rm(empty, { recursive: true, force: true });
});

describe("slurmClusterAvailability(path, sbin)", () => {
  it("slurmClusterAvailability(emptyDir, []) names every missing binary in one line", () => {
    const { available, reason } = slurmClusterAvailability(empty, []);
    expect(available).toBe(false);
    expect(reason).toBe(
      "Slurm test cluster unavailable: munged, slurmctld, slurmd, sbatch, squeue, sinfo, scontrol, scancel not found (install Debian's slurm-wlm and munge)",
    );
  });
  it("findExecutable('sh', PATH) finds a binary", () => {
    expect(findExecutable("sh")).toMatch(/\/sh$/);
    expect(findExecutable("sh", empty, [])).toBeNull();
  });
});

describe("skipWithoutSlurm(availability, env, warn)", () => {
  const absent = { available: false, reason: "Slurm test cluster unavailable: sbatch not found" };
  it("skips with one printed line when Slurm is absent and neither CI nor DALE_EXPECT_SLURM is set", () => {
    const lines: string[] = [];
    expect(skipWithoutSlurm(absent, {}, (l) => lines.push(l))).toBe(true);
    expect(lines).toEqual(["skipping Slurm tests: Slurm test cluster unavailable: sbatch not found"]);
  });
  it.each([[{ CI: "true" }, "CI is set"], [{ DALE_EXPECT_SLURM: "1" }, "DALE_EXPECT_SLURM=1"]])("fails instead of skipping under %j", (env, why) => {
    expect(() => skipWithoutSlurm(absent, env, () => {})).toThrow(`sbatch not found; ${why}, so the Slurm tests must run`);
  });
  it("runs (returns false) when Slurm is available", () => {
    expect(skipWithoutSlurm({ available: true, reason: "" }, { CI: "1" })).toBe(false);
  });
});
