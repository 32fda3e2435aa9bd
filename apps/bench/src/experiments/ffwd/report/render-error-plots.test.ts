import { describe, expect, it } from "vitest";
import { errorPlotFileName, renderErrorPlots } from "./render-error-plots.js";
import { summariseRuns } from "./summarise-runs.js";
import { fixtureRecords, makeRecord, svgProblem } from "./internal/test-records.js";

describe("renderErrorPlots", () => {
  it("errorPlotFileName(dataset, kind) is <kind>-<dataset>.svg", () => {
    expect(errorPlotFileName("mnist", "test-error")).toBe("test-error-mnist.svg");
    expect(errorPlotFileName("fashion", "train-error")).toBe("train-error-fashion.svg");
  });

  it("renderErrorPlots(summary) draws a test-error and a train-error SVG per dataset with test runs", async () => {
    const plots = await renderErrorPlots(summariseRuns(fixtureRecords()));
    expect(plots.map((p) => p.fileName)).toEqual([
      "test-error-mnist.svg",
      "train-error-mnist.svg",
      "test-error-kmnist.svg",
      "train-error-kmnist.svg",
    ]);
    for (const p of plots) {
      expect(svgProblem(p.svg), p.fileName).toBeUndefined();
      expect(p.svg).toContain(p.title);
    }
    const [testMnist, trainMnist, testK] = plots;
    for (const name of ["mlp", "dann", "columnei"]) {
      expect(testMnist?.svg).toContain(`>${name}<`);
      expect(trainMnist?.svg).toContain(`>${name}<`);
    }
    expect(testK?.svg).toContain(">batchnorm-mlp<");
    expect(testMnist?.svg).toContain("updates (minibatches)");
    expect(testMnist?.svg).toContain("test error (%, log scale)");
    // train error reaches 0 % for dann: drawn at a floor on the log axis
    expect(trainMnist?.svg).toContain("train error (%, log scale; 0 drawn at 0.001)");
    expect(trainMnist?.svg).toContain(">epoch<");
    // search (validation) groups are not plotted
    expect(testMnist?.svg).not.toContain("lr=");
  });

  it("renderErrorPlots labels a model's lines by profile and learning rate when it has several", async () => {
    const plots = await renderErrorPlots(
      summariseRuns([
        makeRecord({ dataset: "fashion", model: "dann", seed: 0, learningRate: 0.01973 }),
        makeRecord({ dataset: "fashion", model: "dann", seed: 0, learningRate: 0.1, profile: "paper" }),
      ]),
    );
    expect(plots).toHaveLength(2);
    expect(plots[0]?.svg).toContain("dann (paper, lr=0.1)");
    expect(plots[0]?.svg).toContain("dann (quick, lr=0.01973)");
  });

  it("renderErrorPlots of search-only or empty summaries draws nothing", async () => {
    expect(await renderErrorPlots({ groups: [], runs: 0 })).toEqual([]);
    const search = summariseRuns([makeRecord({ dataset: "mnist", model: "mlp", seed: 0, learningRate: 0.1, evalSplit: "validation" })]);
    expect(await renderErrorPlots(search)).toEqual([]);
  });
});
