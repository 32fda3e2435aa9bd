import { describe, expect, it } from "vitest";
import { findPaperResult, PAPER_EPOCHS, PAPER_RESULTS } from "./paper-results.js";

describe("PAPER_RESULTS", () => {
  it("PAPER_RESULTS holds Tables 1-3: 5 MNIST, 5 K-MNIST and 5 Fashion-MNIST rows", () => {
    expect(PAPER_RESULTS).toHaveLength(15);
    for (const d of ["mnist", "kmnist", "fashion"] as const) {
      expect(PAPER_RESULTS.filter((r) => r.dataset === d)).toHaveLength(5);
    }
    expect(PAPER_EPOCHS).toBe(50);
    expect(Object.isFrozen(PAPER_RESULTS)).toBe(true);
  });

  it("findPaperResult maps the paper's names (DANN nc -> dann-nc, DANN li -> dann-1i, ...)", () => {
    expect(findPaperResult("mnist", "dann")).toMatchObject({
      paperName: "DANN", inhibitoryUnits: 50, learningRate: 0.1107,
      trainError: { mean: 0, std: 0 }, testError: { mean: 1.325, std: 0.066 },
    });
    expect(findPaperResult("mnist", "dann-nc")).toMatchObject({ paperName: "DANN nc", learningRate: 0.003981, trainError: { mean: 0.293, std: 0.039 }, testError: { mean: 2.167, std: 0.113 } });
    expect(findPaperResult("mnist", "dann-1i")).toMatchObject({ paperName: "DANN li", inhibitoryUnits: 1, learningRate: 0.05327, testError: { mean: 1.56, std: 0.041 } });
    expect(findPaperResult("kmnist", "batchnorm-mlp")).toMatchObject({ paperName: "BatchNorm", learningRate: 0.7235, trainError: { mean: 0.123, std: 0.017 }, testError: { mean: 6.747, std: 0.129 } });
    expect(findPaperResult("kmnist", "columnei")).toMatchObject({ learningRate: 0.05426, trainError: { mean: 1.886, std: 0.191 }, testError: { mean: 12.763, std: 0.44 } });
    expect(findPaperResult("fashion", "layernorm-mlp")).toMatchObject({ paperName: "LayerNorm", learningRate: 0.04743, trainError: { mean: 2.136, std: 0.076 }, testError: { mean: 10.445, std: 0.455 } });
    expect(findPaperResult("fashion", "columnei")).toMatchObject({ learningRate: 0.02265, trainError: { mean: 12.365, std: 0.217 }, testError: { mean: 14.986, std: 0.674 } });
    expect(findPaperResult("mnist", "layernorm-mlp")).toBeUndefined();
    expect(findPaperResult("fashion", "dann-nc")).toBeUndefined();
  });

  it("PAPER_RESULTS has one row per (dataset, model) and only positive learning rates", () => {
    const keys = PAPER_RESULTS.map((r) => `${r.dataset}/${r.model}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(PAPER_RESULTS.every((r) => r.learningRate > 0 && r.testError.mean > 0)).toBe(true);
  });
});
