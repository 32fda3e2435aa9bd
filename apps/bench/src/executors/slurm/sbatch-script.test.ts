import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { arrayJobScript, mergeJobScript, type SbatchScriptInput } from "./sbatch-script.js";

const run = promisify(execFile);
const options = { extra: [] as string[], requeue: false, dryRun: false };

function input(dir: string, runIds: string[] = ["a", "b", "c"]): SbatchScriptInput {
  return {
    experiment: "ffwd",
    dir,
    runIds,
    node: "/opt/node 20/bin/node",
    workerArgs: (id) => ["/x/bin.mjs", "worker", "/out", "--run-id", id],
    reportArgs: ["/x/bin.mjs", "report", "/out"],
  };
}

describe("arrayJobScript(input, options)", () => {
  it("arrayJobScript(3 runs) asks for tasks 0-2 and reads the run id from runs.txt by task id", () => {
    const script = arrayJobScript(input("/r/slurm/s1"), options);
    expect(script).toContain("#SBATCH --array=0-2\n");
    expect(script).toContain("RUNS_FILE=/r/slurm/s1/runs.txt\n");
    expect(script).toContain('RUN_ID="${RUNS[$SLURM_ARRAY_TASK_ID]}"\n');
    expect(script).toContain(`exec '/opt/node 20/bin/node' /x/bin.mjs worker /out --run-id "$RUN_ID"\n`);
  });
  it("arrayJobScript writes a literal % of the folder as %% in --output / --error, keeping %a", () => {
    const script = arrayJobScript(input("/r/100% done"), options);
    expect(script).toContain('#SBATCH --output="/r/100%% done/task-%a.out"\n');
    expect(script).toContain('#SBATCH --error="/r/100%% done/task-%a.err"\n');
    expect(script).toContain("#SBATCH --chdir=\"/r/100% done\"\n");
  });
  it("arrayJobScript is valid bash (bash -n)", async () => {
    await run("bash", ["-n", "-c", arrayJobScript(input("/r/it's here", ["x y", "$z"]), { ...options, extra: ["--comment=a b"] })]);
  });
  it("arrayJobScript rejects a folder with a double quote, which a #SBATCH line cannot carry", () => {
    expect(() => arrayJobScript(input('/r/"q"'), options)).toThrow('--chdir: "/r/\\"q\\"" holds a double quote or a newline');
  });
  it("arrayJobScript([]) throws naming the empty list", () => {
    expect(() => arrayJobScript(input("/r", []), options)).toThrow("runIds is empty");
  });
});

describe("mergeJobScript(input, options)", () => {
  it("mergeJobScript runs node <reportArgs> on one CPU, never requeued, with the sweep's partition and extras", async () => {
    const script = mergeJobScript(input("/r/s"), { ...options, requeue: true, partition: "short", cpusPerTask: 8, extra: ["--account=lab"] });
    expect(script).toContain("#SBATCH --job-name=dale-ffwd-merge\n");
    expect(script).toContain("#SBATCH --no-requeue\n");
    expect(script).toContain("#SBATCH --cpus-per-task=1\n");
    expect(script).toContain("#SBATCH --partition=short\n");
    expect(script).toContain("#SBATCH --account=lab\n");
    expect(script).toContain("exec '/opt/node 20/bin/node' /x/bin.mjs report /out\n");
    await run("bash", ["-n", "-c", script]);
  });
});
