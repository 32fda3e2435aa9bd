import { describe, expect, it } from "vitest";
import { achievedGflops, dannForwardFlops, denseForwardFlops, forwardFlopsPerSample, trainingFlopsPerSample, type TrainingWorkload } from "./perf-flops.js";

describe("perf flops", () => {
  it("denseForwardFlops(d, out) is 2·d·out", () => {
    expect(denseForwardFlops(784, 500)).toBe(784_000);
  });

  it("dannForwardFlops(d, ne, ni) counts W_EE x, W_IE x and the two W_EI products", () => {
    expect(dannForwardFlops(784, 500, 50)).toBe(2 * (500 * 784 + 50 * 784 + 500 * 50 + 500 * 50));
    expect(dannForwardFlops(500, 10, 1)).toBe(11_040);
  });

  it("forwardFlopsPerSample('mlp') sums 784·500 + 2·500·500 + 500·10, times 2", () => {
    expect(forwardFlopsPerSample("mlp")).toBe(2 * (784 * 500 + 500 * 500 + 500 * 500 + 500 * 10));
  });

  it("forwardFlopsPerSample('dann') is the MLP's plus the inhibitory products", () => {
    expect(forwardFlopsPerSample("dann")).toBe(962_400 + 650_000 + 650_000 + 11_040);
    expect(forwardFlopsPerSample("dann")).toBeGreaterThan(forwardFlopsPerSample("mlp"));
  });

  it("forwardFlopsPerSample('rnn') counts 28 steps of input and recurrent products plus the readout", () => {
    expect(forwardFlopsPerSample("rnn")).toBe(28 * (2 * 100 * 28 + 2 * 100 * 100) + 2 * 100 * 10);
  });

  it("forwardFlopsPerSample('ctrnn') counts 50 steps of input, recurrent and readout products", () => {
    expect(forwardFlopsPerSample("ctrnn")).toBe(50 * (2 * 100 * 100 + 2 * 100 * 3 + 2 * 3 * 100));
    expect(forwardFlopsPerSample("ctrnn")).toBe(1_060_000);
  });

  it("trainingFlopsPerSample(w) is 3 forward passes", () => {
    for (const w of ["mlp", "dann", "rnn", "ctrnn"] as const) expect(trainingFlopsPerSample(w)).toBe(3 * forwardFlopsPerSample(w));
  });

  it("achievedGflops('mlp', 1000) is 5.382", () => {
    expect(achievedGflops("mlp", 1000)).toBeCloseTo(5.382, 10);
  });

  it("forwardFlopsPerSample throws on an unknown workload, naming it", () => {
    expect(() => forwardFlopsPerSample("cnn" as TrainingWorkload)).toThrow(/unknown workload "cnn"/);
  });
});
