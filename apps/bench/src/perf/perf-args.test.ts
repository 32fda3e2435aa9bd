import { describe, expect, it } from "vitest";
import { UserError } from "../user-error.js";
import { batchesFor, parsePerfArgs } from "./perf-args.js";
import { DEFAULT_PROFILE, QUICK_PROFILE } from "./perf-profile.js";

describe("parsePerfArgs", () => {
  it("parsePerfArgs([]) times every workload but conv at batch 32 and 256 on openblas, wasm and cpu, 1 thread", () => {
    expect(parsePerfArgs([])).toEqual({
      backends: ["openblas", "wasm", "cpu"],
      workloads: ["mlp", "dann", "rnn", "ctrnn", "spectra"],
      batches: [32, 256],
      workloadBatches: { conv: [32, 128] },
      threads: 1,
      profile: DEFAULT_PROFILE,
      json: false,
      out: null,
      memorySteps: null,
    });
  });

  it("parsePerfArgs(['--quick']) leaves cpu out unless --backends lists it", () => {
    expect(parsePerfArgs(["--quick"])).toMatchObject({ backends: ["openblas", "wasm"], profile: QUICK_PROFILE });
    expect(parsePerfArgs(["--quick", "--backends", "cpu,wasm"]).backends).toEqual(["cpu", "wasm"]);
  });

  it("parsePerfArgs reads --workloads, --batches, --threads, --json and --out", () => {
    const o = parsePerfArgs(["--workloads", "rnn, ctrnn,spectra", "--batches", "32,64,32", "--threads", "2", "--json", "--out", "perf.jsonl"]);
    expect(o).toMatchObject({ workloads: ["rnn", "ctrnn", "spectra"], batches: [32, 64], threads: 2, json: true });
    expect(o.out).toMatch(/\/perf\.jsonl$/);
  });

  it("batchesFor(options, 'conv') is 32 and 128 unless --batches is given; other workloads take --batches or 32 and 256", () => {
    const plain = parsePerfArgs(["--workloads", "conv,mlp"]);
    expect(plain.workloads).toEqual(["conv", "mlp"]);
    expect(batchesFor(plain, "conv")).toEqual([32, 128]);
    expect(batchesFor(plain, "mlp")).toEqual([32, 256]);
    const given = parsePerfArgs(["--workloads", "conv", "--batches", "8"]);
    expect(batchesFor(given, "conv")).toEqual([8]);
    expect(batchesFor(given, "mlp")).toEqual([8]);
  });

  it("parsePerfArgs throws a UserError naming a bad backend, workload, batch or thread count", () => {
    const cases: Array<[string[], RegExp]> = [
      [["--backends", "wasm,tpu"], /^unknown --backends entry "tpu"; expected one of openblas, wasm, cpu$/],
      [["--workloads", "cnn"], /^unknown --workloads entry "cnn"; expected one of mlp, dann, rnn, ctrnn, conv, spectra$/],
      [["--batches", "32,0"], /^--batches entry must be an integer >= 1; got "0"$/],
      [["--threads", "0"], /^--threads must be an integer >= 1; got "0"$/],
      [["--threads", "1.5"], /^--threads must be an integer >= 1; got "1.5"$/],
      [["--memory", "0"], /^--memory must be an integer >= 1; got "0"$/],
      [["--backends", ","], /^--backends needs at least one of openblas, wasm, cpu/],
    ];
    for (const [args, message] of cases) {
      expect(() => parsePerfArgs(args), args.join(" ")).toThrow(UserError);
      expect(() => parsePerfArgs(args), args.join(" ")).toThrow(message);
    }
  });
});
