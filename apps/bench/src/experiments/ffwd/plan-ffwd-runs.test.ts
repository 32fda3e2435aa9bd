import { describe, expect, it } from "vitest";
import { planFfwdRuns, SEARCH_RANGE } from "./plan-ffwd-runs.js";
import { FFWD_PROFILES } from "./ffwd-profiles.js";
import { paperLearningRate } from "./ffwd-models.js";
import { ffwdExperiment, ffwdProfile } from "./ffwd-experiment.js";

describe("planFfwdRuns", () => {
  it("planFfwdRuns({profile: paper}) plans every model x 6 seeds with the paper's learning rates on the test split", () => {
    const runs = planFfwdRuns({ dataset: "mnist", models: ["mlp", "dann", "columnei"], profile: FFWD_PROFILES.paper });
    expect(runs).toHaveLength(18);
    expect(runs.filter((r) => r.model === "dann").map((r) => r.learningRate)).toEqual(new Array(6).fill(0.1107));
    expect(runs.every((r) => r.evalSplit === "test" && r.epochs === 50 && r.batchSize === 32 && r.evalEveryUpdates === 200)).toBe(true);
    expect(new Set(runs.map((r) => r.runId)).size).toBe(18);
  });

  it("planFfwdRuns({search: N}) draws N log-uniform rates in [1e-5, 10] per model, 3 seeds each, scored on validation, reproducibly", () => {
    const a = planFfwdRuns({ dataset: "fashion", models: ["mlp", "dann"], profile: FFWD_PROFILES.quick, search: 20 });
    const b = planFfwdRuns({ dataset: "fashion", models: ["mlp", "dann"], profile: FFWD_PROFILES.quick, search: 20 });
    expect(a).toHaveLength(2 * 20 * 3);
    expect(a).toEqual(b);
    expect(a.every((r) => r.evalSplit === "validation" && r.profile === "search-quick")).toBe(true);
    const rates = [...new Set(a.filter((r) => r.model === "mlp").map((r) => r.learningRate))];
    expect(rates).toHaveLength(20);
    for (const lr of rates) {
      expect(lr).toBeGreaterThanOrEqual(SEARCH_RANGE.low);
      expect(lr).toBeLessThanOrEqual(SEARCH_RANGE.high);
    }
    // Log-uniform: about half of the 40 draws fall below the geometric midpoint 10^-2.
    const all = [...new Set(a.map((r) => r.learningRate))];
    const below = all.filter((lr) => lr < 1e-2).length;
    expect(below).toBeGreaterThan(8);
    expect(below).toBeLessThan(32);
  });

  it("--train-error running changes the paper profile's train error and says so in the label; the profile's own value leaves the label alone", () => {
    const base = { dataset: "fashion" as const, models: ["layernorm-mlp" as const], profile: "paper" as const, epochs: null, trainLimit: null, dataDir: null, search: null, searchTrial: null, learningRate: null };
    expect(ffwdProfile({ ...base, trainError: "running" })).toMatchObject({ trainError: "running", label: "paper+train-error=running" });
    expect(ffwdProfile({ ...base, trainError: "full-pass" })).toMatchObject({ trainError: "full-pass", label: "paper" });
  });

  it("Supp. Fig. 5's DANN variants train at the table's DANN rate, and say so", () => {
    expect(paperLearningRate("fashion", "dann-gradnorm")).toEqual({ learningRate: 0.01973, source: "Table 3 (Fashion-MNIST), dann's rate (Supp. Fig. 5 varies the update, not the rate)" });
    expect(paperLearningRate("mnist", "dann-lrscale").learningRate).toBe(0.1107);
  });

  it("paperLearningRate borrows another table's rate where the paper lists none, and says so", () => {
    expect(paperLearningRate("mnist", "dann")).toEqual({ learningRate: 0.1107, source: "Table 1 (MNIST)" });
    expect(paperLearningRate("mnist", "layernorm-mlp")).toEqual({
      learningRate: 0.1166,
      source: "Table 2 (K-MNIST); the paper lists no layernorm-mlp rate for mnist",
    });
    expect(paperLearningRate("fashion", "dann-nc").learningRate).toBe(0.003981);
  });

  it("--dann-first-layer reference puts the reference code's init in the DANN runs' specs and ids; it refuses non-DANN models; the default leaves the ids as before", () => {
    const options = ffwdExperiment.parse({ profile: "paper", models: "dann,dann-nc", "dann-first-layer": "reference" });
    const runs = planFfwdRuns({ dataset: "mnist", models: options.models, profile: ffwdProfile(options) });
    expect(runs).toHaveLength(12);
    expect(runs.every((r) => r.dannFirstLayerInit === "reference-first-layer" && r.profile === "paper+dann-first-layer=reference")).toBe(true);
    expect(runs[0]!.runId).toBe("mnist/dann/paper+dann-first-layer=reference/lr=0.1107/seed=0/eval=test");
    const plain = planFfwdRuns({ dataset: "mnist", models: ["dann"], profile: ffwdProfile(ffwdExperiment.parse({ profile: "paper", models: "dann" })) });
    expect(plain[0]!.runId).toBe("mnist/dann/paper/lr=0.1107/seed=0/eval=test");
    expect("dannFirstLayerInit" in plain[0]!).toBe(false);
    expect(() => ffwdExperiment.parse({ profile: "paper", models: "mlp,dann", "dann-first-layer": "reference" })).toThrow(/--dann-first-layer reference changes only the DANN models .*; got --models including mlp/);
    expect(() => ffwdExperiment.parse({ "dann-first-layer": "code" })).toThrow(/--dann-first-layer/);
  });
  it("--norm-layers all puts the normalised logits in the LayerNorm / BatchNorm MLP runs' specs and ids; it refuses other models; the default leaves the ids as before", () => {
    const options = ffwdExperiment.parse({ profile: "paper", dataset: "fashion", models: "layernorm-mlp,batchnorm-mlp", "norm-layers": "all", "train-error": "running" });
    const runs = planFfwdRuns({ dataset: "fashion", models: options.models, profile: ffwdProfile(options) });
    expect(runs).toHaveLength(12);
    expect(runs.every((r) => r.normaliseOutput === true && r.profile === "paper+norm-output+train-error=running")).toBe(true);
    expect(runs[0]!.runId).toBe("fashion/layernorm-mlp/paper+norm-output+train-error=running/lr=0.04743/seed=0/eval=test");
    const plain = planFfwdRuns({ dataset: "fashion", models: ["layernorm-mlp"], profile: ffwdProfile(ffwdExperiment.parse({ profile: "paper", dataset: "fashion", models: "layernorm-mlp", "norm-layers": "hidden" })) });
    expect(plain[0]!.runId).toBe("fashion/layernorm-mlp/paper/lr=0.04743/seed=0/eval=test");
    expect("normaliseOutput" in plain[0]!).toBe(false);
    expect(() => ffwdExperiment.parse({ models: "mlp,layernorm-mlp", "norm-layers": "all" })).toThrow(/^--norm-layers all changes only the normalised MLPs \(layernorm-mlp, batchnorm-mlp\); got --models including mlp$/);
    expect(() => ffwdExperiment.parse({ models: "layernorm-mlp", "norm-layers": "some" })).toThrow(/--norm-layers/);
  });
  it("--mlp-first-layer reference puts the reference code's first-layer gain in the MLP runs' specs and ids, after the other variants; it refuses non-MLP models", () => {
    const options = ffwdExperiment.parse({ profile: "paper", dataset: "fashion", models: "layernorm-mlp", "norm-layers": "all", "mlp-first-layer": "reference", "train-error": "running" });
    const [run] = planFfwdRuns({ dataset: "fashion", models: options.models, profile: ffwdProfile(options) });
    expect(run!.mlpFirstLayerInit).toBe("reference-first-layer");
    expect(run!.runId).toBe("fashion/layernorm-mlp/paper+mlp-first-layer=reference+norm-output+train-error=running/lr=0.04743/seed=0/eval=test");
    expect(() => ffwdExperiment.parse({ models: "mlp,dann", "mlp-first-layer": "reference" })).toThrow(/^--mlp-first-layer reference changes only the MLP models \(mlp, layernorm-mlp, batchnorm-mlp\); got --models including dann$/);
  });
  it("--seeds N plans seeds 0 .. N-1 with the profile's label, so the paper profile's seeds 0-5 keep their ids and 6-11 join their group; older options without seeds keep the profile's", () => {
    const more = planFfwdRuns({ dataset: "mnist", models: ["mlp"], profile: ffwdProfile(ffwdExperiment.parse({ profile: "paper", models: "mlp", seeds: "12" })) });
    expect(more.map((r) => r.seed)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const six = planFfwdRuns({ dataset: "mnist", models: ["mlp"], profile: ffwdProfile(ffwdExperiment.parse({ profile: "paper", models: "mlp" })) });
    expect(more.slice(0, 6).map((r) => r.runId)).toEqual(six.map((r) => r.runId));
    expect(more[11]!.runId).toBe("mnist/mlp/paper/lr=0.2976/seed=11/eval=test");
    const { seeds: _, ...older } = ffwdExperiment.parse({ profile: "paper", models: "mlp", seeds: "3" });
    expect(planFfwdRuns({ dataset: "mnist", models: ["mlp"], profile: ffwdProfile(older) })).toHaveLength(6);
    for (const bad of ["0", "-1", "2.5", "x"]) expect(() => ffwdExperiment.parse({ seeds: bad }), bad).toThrow(/--seeds/);
  });
});
