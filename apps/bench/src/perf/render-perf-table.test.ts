import { describe, expect, it } from "vitest";
import type { SpectraRow, TrainingRow } from "./perf-row.js";
import { renderPerfTables } from "./render-perf-table.js";

const train = (over: Partial<TrainingRow>): TrainingRow => ({
  kind: "train", workload: "mlp", batch: 32, backend: "openblas", unit: "samples/s", ours: 5541.8, pytorch: 10009.6, pytorchThreads: "intra-op 1 + OpenBLAS 1", ratio: 0.5536,
  gflops: 29.83, peakGflops: 99.9, peakFraction: 0.2986, leakedTensors: 0, reps: [5541.8], steps: 100, threads: 1,
  breakdown: { stepMs: 5.77, kernels: 41, kernelMs: 4.52, outsideKernelsMs: 1.25, top: [{ kernel: "BatchMatMul", calls: 9, ms: 2.5 }, { kernel: "DaleDense_v1", calls: 4, ms: 1 }] },
  ...over,
});
const spectra: SpectraRow = {
  kind: "spectra", workload: "spectra-svd", op: "svd", n: 300, batch: null, backend: "lapack", solver: "LAPACK (OpenBLAS 0.3.21)", unit: "seconds",
  ours: 0.0061, pytorch: 0.0094, ratio: 0.649, oursSeconds: 0.0061, numpySeconds: 0.0094, gflops: null, peakFraction: null, leakedTensors: null, threads: 1,
};

describe("renderPerfTables", () => {
  it("renderPerfTables(rows) aligns a training table and a spectra table", () => {
    const text = renderPerfTables([train({}), train({ workload: "rnn", batch: 256, backend: "wasm", pytorch: null, ratio: null, peakFraction: null, leakedTensors: 3 }), spectra]);
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/^workload\s+batch\s+backend\s+ours samples\/s\s+pytorch samples\/s\s+ours\/pytorch\s+GFLOP\/s\s+of peak\s+tensors$/);
    expect(lines[1]).toMatch(/^mlp\s+32\s+openblas\s+5,542\s+10,010\s+0\.55x\s+29\.8\s+30%\s+ok$/);
    expect(lines[2]).toMatch(/^rnn\s+256\s+wasm\s+5,542\s+-\s+-\s+29\.8\s+-\s+LEAK \+3$/);
    expect(lines[1]!.indexOf("5,542") + 5).toBe(lines[0]!.indexOf("ours samples/s") + "ours samples/s".length);
    expect(lines[3]).toBe("");
    expect(lines[4]).toBe("Below PyTorch, where one step's time goes (tf.profile, ms per step):");
    expect(lines[5]).toBe("  mlp batch 32 on openblas: 5.77 ms/step = 4.52 ms in 41 kernels + 1.25 ms outside them (BatchMatMul 9x 2.50, DaleDense_v1 4x 1.00)");
    expect(lines[6]).toBe("");
    expect(lines[8]).toMatch(/^singular values\s+300\s+LAPACK \(OpenBLAS 0\.3\.21\)\s+0\.0061\s+0\.0094\s+0\.65x$/);
    expect(text.endsWith("\n")).toBe(true);
  });

  it("no breakdown lines when every openblas row is at or above PyTorch", () => {
    expect(renderPerfTables([train({ ratio: 1.2, pytorch: 4000 })])).not.toMatch(/Below PyTorch/);
  });

  it("renderPerfTables([]) is empty", () => {
    expect(renderPerfTables([])).toBe("");
  });
});
