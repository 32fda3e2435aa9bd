import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadAddonFile, loadOpenBlasAddon } from "./load-addon.js";

const distEntry = fileURLToPath(new URL("../dist/index.js", import.meta.url));

function runNode(code: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", code], { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (exit) => resolve({ code: exit, stdout, stderr }));
  });
}

describe("loading the addon", () => {
  it("loadOpenBlasAddon() is available where CI installed libopenblas-dev, else names the fix", () => {
    const status = loadOpenBlasAddon();
    if (process.env.DALE_EXPECT_OPENBLAS === "1") expect(status.available).toBe(true);
    if (!status.available) expect(status.reason).toMatch(/libopenblas-dev|DALE_OPENBLAS_DISABLE/);
    else expect(status.addon.config()).toMatch(/OpenBLAS/);
  });

  it("loadAddonFile(missing path) explains how to build it instead of throwing", () => {
    const status = loadAddonFile("/nonexistent/dale_openblas.node");
    expect(status.available).toBe(false);
    expect(!status.available && status.reason).toMatch(/missing: apt-get install libopenblas-dev, then npm rebuild @dale-nn\/openblas/);
  });

  it("registerOpenBlasBackend() without the addon returns registered: false and a one-line notice; tfjs keeps working on cpu", async () => {
    const code = `
      import * as tf from "@tensorflow/tfjs";
      const { registerOpenBlasBackend, registerOpenBlasSpectra } = await import(${JSON.stringify(distEntry)});
      const r = registerOpenBlasBackend();
      const s = registerOpenBlasSpectra();
      await tf.setBackend("cpu");
      const sum = tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])).sum().dataSync()[0];
      console.log(JSON.stringify({ registered: r.registered, notice: r.notice, spectra: s, backends: Object.keys(tf.engine().registryFactory), sum }));
    `;
    const out = await runNode(code, { DALE_OPENBLAS_DISABLE: "1", TF_CPP_MIN_LOG_LEVEL: "3" });
    expect(out.code, out.stderr).toBe(0);
    const result = JSON.parse(out.stdout.trim().split("\n").at(-1)!);
    expect(result.registered).toBe(false);
    expect(result.notice).toBe("OpenBLAS backend unavailable: disabled by DALE_OPENBLAS_DISABLE=1; using the plain tfjs CPU kernels");
    expect(result.notice).not.toContain("\n");
    expect(result.spectra.registered).toBe(false);
    expect(result.backends).not.toContain("openblas");
    expect(result.sum).toBe(12);
  });
});
