import { cpus } from "node:os";
import { describe, expect, it } from "vitest";
import { runEnvironment, setBackendDetails } from "./run-environment.js";

describe("runEnvironment", () => {
  it("names Node, tfjs, the @dale-nn packages, the CPU model and what the backend reported", () => {
    setBackendDetails({});
    const plain = runEnvironment();
    expect(plain.node).toBe(process.version);
    expect(plain.tfjs).toMatch(/^\d+\.\d+\.\d+/);
    expect(plain["@dale-nn/train"]).toMatch(/^\d+\.\d+\.\d+/);
    expect(plain.cpu).toBe(cpus()[0]!.model.trim());
    expect("openblas" in plain).toBe(false);
    setBackendDetails({ openblas: "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64" });
    expect(runEnvironment().openblas).toMatch(/Cooperlake/);
    setBackendDetails({});
  });
});
