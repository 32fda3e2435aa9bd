import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { QUICK_PROFILE } from "./perf-profile.js";
import { mergeBestPytorchResults, parsePytorchOutput, pytorchArgs, pytorchScriptPath, pytorchThreadSettings, runPytorchPerf, spectraKey, trainKey, unavailableResults } from "./pytorch-runner.js";

const OUTPUT = [
  '{"type": "info", "python": "3.11.2", "torch": "1.13.0a0", "numpy": "1.24.2", "threads": 1, "blas": [{"path": "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3", "resolved": "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"}]}',
  "some warning printed by a library",
  '{"type": "peak", "n": 1024, "gflops": 95.5}',
  '{"type": "train", "workload": "mlp", "batch": 32, "samplesPerSecond": 11198.4, "reps": [11000, 11198.4, 11300], "steps": 1000}',
  '{"type": "train", "workload": "rnn", "batch": 256, "samplesPerSecond": 23515.8, "reps": [23515.8], "steps": 272}',
  '{"type": "train", "workload": "ctrnn", "batch": 32, "samplesPerSecond": 2056.1, "reps": [2056.1], "steps": 65}',
  '{"type": "error", "workload": "dann", "batch": 256, "message": "RuntimeError(\'out of memory\')"}',
  '{"type": "spectra", "op": "svd", "n": 300, "seconds": 0.0058, "reps": [0.006, 0.0058, 0.0057]}',
  '{"type": "spectra", "op": "eig", "n": 300, "seconds": 0.0307, "reps": [0.0307]}',
  "",
].join("\n");

describe("pytorch runner", () => {
  it("parsePytorchOutput(stdout) reads info, peak, train, spectra and error lines and skips other text", () => {
    const r = parsePytorchOutput(OUTPUT);
    expect(r.available).toBe(true);
    expect(r.reason).toBeNull();
    expect(r.info).toMatchObject({ torch: "1.13.0a0", threads: 1 });
    expect(r.info?.blas[0]?.path).toMatch(/libblas\.so\.3$/);
    expect(r.peakGflops).toBe(95.5);
    expect(r.train.get(trainKey("mlp", 32))).toBe(11198.4);
    expect(r.train.get(trainKey("rnn", 256))).toBe(23515.8);
    expect(r.train.get(trainKey("ctrnn", 32))).toBe(2056.1);
    expect(r.train.has(trainKey("dann", 256))).toBe(false);
    expect(r.spectra.get(spectraKey("svd", 300))).toBe(0.0058);
    expect(r.spectra.get(spectraKey("eig", 300))).toBe(0.0307);
    expect(r.errors).toEqual(["dann batch 256: RuntimeError('out of memory')"]);
  });

  it("parsePytorchOutput(stdout) with an 'unavailable' line is not available, gives the reason and keeps numpy spectra", () => {
    const r = parsePytorchOutput(
      '{"type": "unavailable", "what": "torch", "reason": "import torch failed: ModuleNotFoundError(\\"No module named \'torch\'\\")"}\n' +
        '{"type": "spectra", "op": "svd", "n": 300, "seconds": 0.01}\n',
    );
    expect(r.available).toBe(false);
    expect(r.reason).toMatch(/No module named 'torch'/);
    expect(r.peakGflops).toBeNull();
    expect(r.spectra.get("svd/300")).toBe(0.01);
  });

  it("parsePytorchOutput('') is not available", () => {
    const r = parsePytorchOutput("");
    expect(r.available).toBe(false);
    expect(r.train.size).toBe(0);
  });

  it("pytorchArgs(options) passes the script, the profile's timing and the spectra files", () => {
    expect(existsSync(pytorchScriptPath())).toBe(true);
    const args = pytorchArgs({ threads: 2, workloads: ["mlp", "rnn", "ctrnn"], batches: [32, 256], profile: QUICK_PROFILE, spectra: [{ n: 300, file: "/tmp/a.f64" }] });
    expect(args[0]).toMatch(/perf\/pytorch_perf\.py$/);
    expect(args.join(" ")).toContain("--threads 2 --workloads mlp,rnn,ctrnn --batches 32,256 --warmup-steps 3");
    expect(args.slice(-2)).toEqual(["--spectra", "300:/tmp/a.f64"]);
    expect(args).not.toContain("--overrides");
    const conv = pytorchArgs({ threads: 1, workloads: ["conv"], batches: [32, 256], profile: QUICK_PROFILE, spectra: [], overrides: { conv: { batches: [32, 128], warmupSteps: 2, repMinSteps: 2 } } });
    expect(conv.slice(-2)).toEqual(["--overrides", '{"conv":{"batches":[32,128],"warmupSteps":2,"repMinSteps":2}}']);
  });

  it("pytorchThreadSettings: one thread each at 1 core; at 2, PyTorch's default (intra-op 2 + OpenBLAS 2) and intra-op 1 + OpenBLAS 2", () => {
    expect(pytorchThreadSettings(1)).toEqual([{ intraOp: 1, blas: 1 }]);
    expect(pytorchThreadSettings(2)).toEqual([{ intraOp: 2, blas: 2 }, { intraOp: 1, blas: 2 }]);
    expect(pytorchArgs({ threads: 2, intraOpThreads: 1, workloads: ["mlp"], batches: [32], profile: QUICK_PROFILE, spectra: [] }).join(" ")).toContain("--threads 1 ");
  });

  it("mergeBestPytorchResults keeps each row's faster setting (and names it), the higher peak, the shorter numpy time, and every error", () => {
    const a = parsePytorchOutput(OUTPUT);
    const b = parsePytorchOutput(OUTPUT.replace("11198.4,", "15000,").replace('"gflops": 95.5', '"gflops": 180').replace('"seconds": 0.0058', '"seconds": 0.004').replace("23515.8,", "20000,"));
    const m = mergeBestPytorchResults([a, b], ["intra-op 2 + OpenBLAS 2", "intra-op 1 + OpenBLAS 2"]);
    expect(m.available).toBe(true);
    expect(m.train.get("mlp/32")).toBe(15000);
    expect(m.trainSetting.get("mlp/32")).toBe("intra-op 1 + OpenBLAS 2");
    expect(m.train.get("rnn/256")).toBe(23515.8);
    expect(m.trainSetting.get("rnn/256")).toBe("intra-op 2 + OpenBLAS 2");
    expect(m.peakGflops).toBe(180);
    expect(m.spectra.get("svd/300")).toBe(0.004);
    expect(m.errors).toEqual(["intra-op 2 + OpenBLAS 2: dann batch 256: RuntimeError('out of memory')", "intra-op 1 + OpenBLAS 2: dann batch 256: RuntimeError('out of memory')"]);
    const one = mergeBestPytorchResults([unavailableResults("no torch"), a], ["x", "y"]);
    expect(one.train.get("mlp/32")).toBe(11198.4);
    expect(one.errors).toContain("x: not available (no torch)");
    expect(mergeBestPytorchResults([unavailableResults("no torch")], ["x"]).reason).toBe("no torch");
  });

  const python = process.env.DALE_PYTHON ?? "/usr/bin/python3";
  const hasTorch = spawnSync(python, ["-c", "import torch"], { stdio: "ignore" }).status === 0;
  it.skipIf(!hasTorch)("runPytorchPerf({ workloads: ['ctrnn'], batches: [4] }) trains the CT-RNN in PyTorch and reports its samples/s (skipped without torch)", async () => {
    const tiny = { ...QUICK_PROFILE, warmupSteps: 1, warmupSeconds: 0, reps: 1, repSeconds: 0, repMinSteps: 2 };
    const r = await runPytorchPerf({ python, threads: 1, workloads: ["ctrnn"], batches: [4], profile: tiny, spectra: [] });
    expect(r.errors).toEqual([]);
    expect(r.available).toBe(true);
    expect(r.train.get(trainKey("ctrnn", 4))).toBeGreaterThan(0);
  }, 120_000);

  it.skipIf(!hasTorch)("runPytorchPerf({ threads: 2, intraOpThreads: 1 }) runs torch with 1 intra-op thread and OPENBLAS_NUM_THREADS=2 (skipped without torch)", async () => {
    const tiny = { ...QUICK_PROFILE, warmupSteps: 1, warmupSeconds: 0, reps: 1, repSeconds: 0, repMinSteps: 1 };
    const r = await runPytorchPerf({ python, threads: 2, intraOpThreads: 1, workloads: [], batches: [], profile: tiny, spectra: [] });
    expect(r.available, r.reason ?? "").toBe(true);
    expect(r.info).toMatchObject({ threads: 1, blasThreads: 2 });
  }, 120_000);

  it.skipIf(!hasTorch)("runPytorchPerf({ workloads: ['conv'], overrides: { conv: { batches: [2] } } }) trains paper 002's CIFAR-10 network in PyTorch at the override's batch only (skipped without torch)", async () => {
    const tiny = { ...QUICK_PROFILE, warmupSteps: 1, warmupSeconds: 0, reps: 1, repSeconds: 0, repMinSteps: 2 };
    const r = await runPytorchPerf({ python, threads: 1, workloads: ["conv"], batches: [4], profile: tiny, overrides: { conv: { batches: [2], repMinSteps: 1 } }, spectra: [] });
    expect(r.errors).toEqual([]);
    expect(r.train.get(trainKey("conv", 2))).toBeGreaterThan(0);
    expect(r.train.has(trainKey("conv", 4))).toBe(false);
  }, 120_000);

  it("runPytorchPerf({ python: a missing file }) resolves as not available, naming the interpreter", async () => {
    const r = await runPytorchPerf({ python: "/nonexistent/python3", threads: 1, workloads: [], batches: [], profile: QUICK_PROFILE, spectra: [] });
    expect(r.available).toBe(false);
    expect(r.reason).toMatch(/^\/nonexistent\/python3 not found/);
  });
});
