import { describe, expect, it } from "vitest";
import { UserError } from "../../user-error.js";
import { validateSlurmOptions } from "./slurm-options.js";

const base = { extra: [] as string[], requeue: false, dryRun: false };

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    expect((e as Error).message).not.toContain("\n");
    return (e as Error).message;
  }
  throw new Error("expected a UserError");
}

describe("validateSlurmOptions(options)", () => {
  it.each(["30", "90:00", "04:00:00", "1-12", "2-00:30", "0-04:00:00", "INFINITE", "unlimited", "0"])("accepts --time %s", (time) => {
    expect(validateSlurmOptions({ ...base, time }).time).toBe(time);
  });
  it.each(["4h", "04:60:00", "1-24", "1:2:3:4", "", " 04:00:00", "-1"])("rejects --time %j naming it", (time) => {
    expect(message(() => validateSlurmOptions({ ...base, time }))).toContain(`--time: ${JSON.stringify(time)} is not a time Slurm accepts`);
  });
  it.each(["4G", "4000M", "4000", "512k", "1T"])("accepts --mem %s", (memory) => {
    expect(validateSlurmOptions({ ...base, memory }).memory).toBe(memory);
  });
  it.each(["4GB", "4.5G", "G", "-4G", "4 G"])("rejects --mem %j naming it", (memory) => {
    expect(message(() => validateSlurmOptions({ ...base, memory }))).toContain(`--mem: ${JSON.stringify(memory)} is not a memory amount`);
  });
  it.each([0, -1, 1.5, Number.NaN])("rejects --cpus-per-task %s", (cpusPerTask) => {
    expect(message(() => validateSlurmOptions({ ...base, cpusPerTask }))).toBe(`--cpus-per-task: ${String(cpusPerTask)} is not a positive integer`);
  });
  it("accepts --cpus-per-task 4 and --partition gpu,cpu", () => {
    expect(validateSlurmOptions({ ...base, cpusPerTask: 4, partition: "gpu,cpu" }).cpusPerTask).toBe(4);
  });
  it("rejects --partition 'a b'", () => {
    expect(message(() => validateSlurmOptions({ ...base, partition: "a b" }))).toContain(`--partition: "a b" is not a partition name`);
  });
  it("accepts --sbatch-arg --account=lab, --qos=long, --gres=gpu:1 and '--comment=two words'", () => {
    const extra = ["--account=lab", "--qos=long", "--gres=gpu:1", "--comment=two words"];
    expect(validateSlurmOptions({ ...base, extra }).extra).toEqual(extra);
  });
  it.each(["account=lab", '--comment="x"', "--qos=a\nb"])("rejects --sbatch-arg %j as not an option", (arg) => {
    expect(message(() => validateSlurmOptions({ ...base, extra: [arg] }))).toContain("is not an sbatch option");
  });
  it.each([
    ["--array=0-3", "--array"],
    ["--output=x", "--output"],
    ["-o", "-o"],
    ["-ex.err", "-e"],
    ["--dependency=afterok:1", "--dependency"],
  ])("rejects --sbatch-arg %s, which the executor sets (%s)", (arg, name) => {
    expect(message(() => validateSlurmOptions({ ...base, extra: [arg] }))).toContain(`sets ${name}, which the Slurm executor writes itself`);
  });
});
