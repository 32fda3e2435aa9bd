import { describe, expect, it } from "vitest";
import { cifar10NetworkConfig } from "@dale-nn/ei-conv";
import { achievedGflops, CONV_NETWORK, convNetworkForwardFlops, dannForwardFlops, denseForwardFlops, forwardFlopsPerSample, trainingFlopsPerSample, type TrainingWorkload } from "./perf-flops.js";

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

  it("forwardFlopsPerSample('conv') counts the feedforward convs, every separable conv of both recurrent areas at its steps and the readout", () => {
    const separable = (hw: number, src: number, dst: number) => 2 * hw * 9 * src + 2 * hw * src * dst;
    const feedforward = 2 * 1024 * 9 * 3 * 16 + 2 * 1024 * 9 * 16 * 32;
    // Area 3 (16 × 16, from 32 channels): X → f, IG, OG, PN once (a static input); PN → f, IG, OG, PN, IG → PN, OG → PN each of 4 steps.
    const area3 = 2 * separable(256, 32, 64) + 2 * separable(256, 32, 16) + 4 * (2 * separable(256, 64, 64) + 2 * separable(256, 64, 16) + 2 * separable(256, 16, 64));
    // Area 4 (8 × 8, from 64 channels): its input is a sequence, so X → convs run at every step too.
    const area4 = 4 * (2 * separable(64, 64, 128) + 2 * separable(64, 64, 32) + 2 * separable(64, 128, 128) + 2 * separable(64, 128, 32) + 2 * separable(64, 32, 128));
    expect(forwardFlopsPerSample("conv")).toBe(feedforward + area3 + area4 + 2 * 128 * 10);
    expect(forwardFlopsPerSample("conv")).toBe(83_495_424);
    expect(convNetworkForwardFlops(CONV_NETWORK)).toBe(convNetworkForwardFlops(cifar10NetworkConfig()));
    expect(() => convNetworkForwardFlops(cifar10NetworkConfig({ variant: "StandardEI" }))).toThrow(/only Standard cells are counted; got "standard-ei"/);
  });

  it("trainingFlopsPerSample(w) is 3 forward passes", () => {
    for (const w of ["mlp", "dann", "rnn", "ctrnn", "conv"] as const) expect(trainingFlopsPerSample(w)).toBe(3 * forwardFlopsPerSample(w));
  });

  it("achievedGflops('mlp', 1000) is 5.382", () => {
    expect(achievedGflops("mlp", 1000)).toBeCloseTo(5.382, 10);
  });

  it("forwardFlopsPerSample throws on an unknown workload, naming it", () => {
    expect(() => forwardFlopsPerSample("cnn" as TrainingWorkload)).toThrow(/unknown workload "cnn"/);
  });
});
