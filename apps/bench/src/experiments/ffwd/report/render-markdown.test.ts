import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./render-markdown.js";
import { summariseRuns } from "./summarise-runs.js";
import { fixtureRecords, makeRecord } from "./internal/test-records.js";

describe("renderMarkdown", () => {
  const summary = summariseRuns(fixtureRecords());
  const md = renderMarkdown(summary, {
    title: "Feedforward quick",
    plots: [
      { dataset: "mnist", kind: "test-error", fileName: "test-error-mnist.svg" },
      { dataset: "mnist", kind: "train-error", fileName: "train-error-mnist.svg" },
    ],
    skippedLines: 1,
  });
  const lines = md.split("\n");
  const row = (start: string) => {
    const found = lines.find((l) => l.startsWith(start));
    if (!found) throw new Error(`no line starting with ${start} in\n${md}`);
    return found;
  };

  it("renderMarkdown(summary, {title}) has the title, per-dataset sections and the 50-epoch note", () => {
    expect(lines[0]).toBe("# Feedforward quick");
    expect(md).toContain("11 runs in 7 settings; datasets: MNIST, K-MNIST; backends: cpu, wasm");
    expect(md).toContain("## MNIST");
    expect(md).toContain("## K-MNIST");
    expect(md).not.toContain("## Fashion-MNIST");
    expect(md.indexOf("## MNIST")).toBeLessThan(md.indexOf("## K-MNIST"));
    expect(md).toContain("after 50 epochs with batch size 32, over 6 seeds");
    expect(md).toContain("ours are after the number of epochs of each row's profile");
    expect(md).toContain("> **Warning:** 1 truncated row in the results ignored (runs killed while writing)");
    expect(md.endsWith("\n")).toBe(true);
  });

  it("renderMarkdown rows give our mean ± std beside the paper's numbers", () => {
    expect(row("| model |")).toBe(
      "| model | profile | learning rate | seeds | epochs | train error % | test error % | paper train % | paper test % | paper LR | wall time / run |",
    );
    expect(row("| mlp |")).toBe("| mlp | quick | 0.2976 | 3 | 2 | 2.000 ± 1.000 | 3.000 ± 1.000 | 0.0 ± 0.0 | 1.44 ± 0.034 | 0.2976 | 20.0 s |");
    expect(row("| dann |")).toBe("| dann | quick | 0.1107 | 2 | 2 | 0.000 ± 0.000 | 2.000 ± 0.707 | 0.0 ± 0.0 | 1.325 ± 0.066 | 0.1107 | 50.0 s |");
    expect(row("| columnei |")).toBe("| columnei | quick | 0.05273 | 1 (0 finite, 1 diverged) | 2 | — | — | 0.662 ± 0.071 | 3.035 ± 0.231 | 0.05273 | 10.0 s |");
    expect(row("| batchnorm-mlp |")).toBe("| batchnorm-mlp | quick | 0.7235 | 1 | 2 | 0.120 | 6.800 | 0.123 ± 0.017 | 6.747 ± 0.129 | 0.7235 | 5.0 s |");
    expect(md).toContain("Not run here (paper test error %): dann-nc (DANN nc) 2.167 ± 0.113; dann-1i (DANN li) 1.56 ± 0.041.");
  });

  it("renderMarkdown puts search runs in a learning-rate table sorted best first, best marked", () => {
    expect(md).toContain("### Learning-rate search (validation error)");
    expect(md).toContain("#### dann (profile search)");
    expect(md).toContain("3 learning rates, sorted by mean validation error, best first. Best: **0.1**. Paper's selected learning rate: 0.1107.");
    const start = lines.indexOf("#### dann (profile search)");
    const table = lines.slice(start).filter((l) => l.startsWith("| ") && !l.startsWith("| ---")).slice(1, 4);
    expect(table).toEqual([
      "| ★ best | **0.1** | 1 | 2 | 2.000 | 1.000 | 10.0 s |",
      "|  | 0.01 | 2 | 2 | 6.000 ± 1.414 | 5.000 ± 1.414 | 10.0 s |",
      "|  | 5 | 1 (0 finite, 1 diverged) | 2 | diverged on 1 of 1 seeds | — | 10.0 s |",
    ]);
    // search groups do not appear in the test table
    expect(lines.filter((l) => l.startsWith("| dann |"))).toHaveLength(1);
  });

  it("renderMarkdown never ranks a learning rate that diverged late as the best, whatever its error before diverging", () => {
    const records = [
      makeRecord({ dataset: "mnist", model: "mlp", profile: "search", evalSplit: "validation", seed: 0, learningRate: 0.1, finalTrainError: 0.01, finalEvalError: 0.02 }),
      makeRecord({ dataset: "mnist", model: "mlp", profile: "search", evalSplit: "validation", seed: 1, learningRate: 0.1, finalTrainError: 0.01, finalEvalError: 0.03 }),
      makeRecord({ dataset: "mnist", model: "mlp", profile: "search", evalSplit: "validation", seed: 0, learningRate: 0.5, finalTrainError: 0.001, finalEvalError: 0.005, diverged: { update: 9000, reason: "loss became NaN" } }),
      makeRecord({ dataset: "mnist", model: "mlp", profile: "search", evalSplit: "validation", seed: 1, learningRate: 0.5, finalTrainError: 0.001, finalEvalError: 0.004 }),
    ];
    const text = renderMarkdown(summariseRuns(records), { title: "search", plots: [], skippedLines: 0 });
    expect(text).toContain("2 learning rates, sorted by mean validation error, best first. Best: **0.1**.");
    const at = text.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| ---"));
    expect(at.slice(1, 3)).toEqual([
      "| ★ best | **0.1** | 2 | 2 | 2.500 ± 0.707 | 1.000 ± 0.000 | 10.0 s |",
      "|  | 0.5 | 2 (1 finite, 1 diverged) | 2 | diverged on 1 of 2 seeds; others 0.400 | 0.100 | 10.0 s |",
    ]);
  });

  it("renderMarkdown lists diverged runs and links the plots", () => {
    expect(md).toContain("## Diverged runs");
    expect(md).toContain("| `mnist/columnei/quick/lr=0.05273/seed=0/eval=test` | 0 | 321 | loss is NaN |");
    expect(md).toContain("| `mnist/dann/search/lr=5/seed=0/eval=validation` | 0 | 17 | loss is NaN |");
    expect(md).toContain("![MNIST mean test error vs updates](test-error-mnist.svg)");
    expect(md).toContain("[train error per epoch](train-error-mnist.svg)");
    expect(md).not.toContain("kmnist.svg");
  });

  it("renderMarkdown of an empty summary says there is nothing to report", () => {
    const empty = renderMarkdown({ groups: [], runs: 0 }, { title: "Empty", duplicateRunIds: ["a/b"] });
    expect(empty).toContain("0 runs in 0 settings");
    expect(empty).toContain("No runs to report.");
    expect(empty).toContain("1 run id occurred more than once; the last row was kept: `a/b`.");
  });
  it("renderMarkdown compares 50-epoch groups with the paper (Welch's t, F test, verdict) and leaves shorter profiles out", () => {
    // Table 1's DANN with the paper's App. D init (1.437 ± 0.065 over 6 seeds) and the reference-init run (1.323 ± 0.030).
    const appD = [1.48, 1.5, 1.35, 1.4, 1.5, 1.39];
    const reference = [1.35, 1.3, 1.32, 1.33, 1.28, 1.36];
    const records = [
      ...appD.map((e, seed) => makeRecord({ dataset: "mnist", model: "dann", seed, learningRate: 0.1107, profile: "paper", epochs: 50, finalEvalError: e / 100, finalTrainError: 0 })),
      ...reference.map((e, seed) => makeRecord({ dataset: "mnist", model: "dann", seed, learningRate: 0.1107, profile: "paper+ref", epochs: 50, finalEvalError: e / 100, finalTrainError: 0 })),
      makeRecord({ dataset: "mnist", model: "mlp", seed: 0, learningRate: 0.2976, finalEvalError: 0.03 }),
    ];
    const out = renderMarkdown(summariseRuns(records), { title: "t" });
    expect(out).toContain("### Against the paper (test error after 50 epochs)");
    const rows = out.split("\n").filter((l) => l.startsWith("| dann | paper"));
    // The test table's rows and the comparison's: the comparison rows carry the verdict.
    const comparison = rows.filter((l) => l.endsWith("consistent |") || l.includes("**mean"));
    expect(comparison).toHaveLength(2);
    expect(comparison.find((l) => l.startsWith("| dann | paper |"))).toMatch(/^\| dann \| paper \| 1\.437 ± 0\.065 \(6\) \| 1\.325 ± 0\.066 \| \+0\.112 \| 2\.9\d \(10\.0\) \| 0\.01\d \| 0\.9\d \| 0\.9\d\d \| \*\*mean higher\*\* \|$/);
    expect(comparison.find((l) => l.startsWith("| dann | paper+ref |"))).toMatch(/\| −0\.002 \| .* \| consistent \|$/);
    // the 2-epoch mlp is not compared
    expect(out.split("### Against the paper")[1]!.split("\n").some((l) => l.startsWith("| mlp |"))).toBe(false);
  });

  it("renderMarkdown compares the train error too, naming how each row measured it (the paper's is the running mean)", () => {
    // Table 3's BatchNorm MLP: ours measured as a full pass (0.36 ± 0.05), and one run with the running mean.
    const fullPass = [0.32, 0.35, 0.41, 0.3, 0.4, 0.38];
    const running = [0.84, 0.9];
    const records = [
      ...fullPass.map((e, seed) => makeRecord({ dataset: "fashion", model: "batchnorm-mlp", seed, learningRate: 0.1098, profile: "paper", epochs: 50, finalEvalError: 0.1, finalTrainError: e / 100 })),
      ...running.map((e, seed) => makeRecord({ dataset: "fashion", model: "batchnorm-mlp", seed, learningRate: 0.1098, profile: "paper+train-error=running", epochs: 50, finalEvalError: 0.1, finalTrainError: e / 100 })),
    ];
    const out = renderMarkdown(summariseRuns(records), { title: "t" });
    const train = out.split("### Against the paper (train error after 50 epochs)")[1]!;
    expect(train).toMatch(/the mean of the last epoch's mini-batch errors while it trains \("running"\)/);
    expect(train).toContain("| model | profile | ours measured as | ours train % (n) | paper train % |");
    expect(train).toMatch(/\| batchnorm-mlp \| paper \| full-pass \| 0\.360 ± 0\.044 \(6\) \| 1\.104 ± 0\.044 \| −0\.744 \| .* \| \*\*mean lower\*\* \|/);
    expect(train).toMatch(/\| batchnorm-mlp \| paper\+train-error=running \| running \| 0\.870 ± 0\.042 \(2\) \|/);
  });
});
