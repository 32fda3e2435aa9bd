import { describe, expect, it } from "vitest";
import { eiSweepExperiment } from "./ei-sweep/ei-sweep-experiment.js";
import { ffwdExperiment } from "./ffwd/ffwd-experiment.js";
import { FFWD_PROFILES } from "./ffwd/ffwd-profiles.js";
import { planFfwdRuns } from "./ffwd/plan-ffwd-runs.js";
import { parseSweep, planWithSweeps } from "../runner/sweep.js";

describe("sweeps", () => {
  it("parseSweep reads key=v1,v2 and key=log-uniform:LOW:HIGH:N", () => {
    expect(parseSweep(eiSweepExperiment, "hidden=16,32,16").values).toEqual([{ kind: "list", value: 16 }, { kind: "list", value: 32 }]);
    const lr = parseSweep(ffwdExperiment, "lr=log-uniform:1e-5:10:4");
    expect(lr.values).toHaveLength(4);
    expect(lr.values[3]).toEqual({ kind: "log-uniform", low: 1e-5, high: 10, trial: 3, trials: 4 });
  });

  it("parseSweep refuses unknown keys, forms a key does not take, and bad numbers, in one line", () => {
    expect(() => parseSweep(ffwdExperiment, "momentum=0.9")).toThrow(/^unknown --sweep key "momentum" for ffwd; expected one of lr/);
    expect(() => parseSweep(eiSweepExperiment, "hidden=log-uniform:1:10:3")).toThrow(/^--sweep hidden takes a list of values/);
    expect(() => parseSweep(ffwdExperiment, "lr=log-uniform:10:1:3")).toThrow(/needs 0 < LOW < HIGH and an integer N >= 1; got "lr=log-uniform:10:1:3"/);
    expect(() => parseSweep(ffwdExperiment, "lr=fast")).toThrow(/^--sweep lr needs numbers/);
  });

  it("ffwd --search N is --sweep lr=log-uniform:1e-5:10:N: the same runs with the same ids as planFfwdRuns({search: N})", () => {
    const options = ffwdExperiment.parse({ models: "mlp,dann", search: "5", profile: "quick" });
    const runs = planWithSweeps(ffwdExperiment, options, ffwdExperiment.impliedSweep!(options));
    const old = planFfwdRuns({ dataset: "mnist", models: ["mlp", "dann"], profile: FFWD_PROFILES.quick, search: 5 });
    expect(runs.map((r) => r.runId).sort()).toEqual(old.map((r) => r.runId).sort());
    expect((runs.map((r) => r.settings) as unknown as typeof old).sort((a, b) => (a.runId < b.runId ? -1 : 1))).toEqual([...old].sort((a, b) => (a.runId < b.runId ? -1 : 1)));
  });

  it("ei-sweep's profile grid and the same grid as --sweep hidden=... --sweep inhibitory=... plan the same run ids", () => {
    const options = eiSweepExperiment.parse({ profile: "paper" });
    const grid = planWithSweeps(eiSweepExperiment, options, []).map((r) => r.runId);
    const swept = planWithSweeps(eiSweepExperiment, options, ["hidden=100,300,1000", "inhibitory=0.01,0.05,0.1,0.2,0.5"]).map((r) => r.runId);
    // ColEI and DANN over 3 sizes × 5 fractions × 5 seeds; the standard RNN once per size and seed, not once per fraction.
    expect(grid).toHaveLength(2 * 3 * 5 * 5 + 3 * 5);
    expect(grid.filter((id) => id.includes("/rnn/"))).toContain("ei-sweep/paper/rnn/n=300/seed=4");
    expect(swept.sort()).toEqual([...grid].sort());
  });

  it("ei-sweep --models keeps a subset of the grid's models; an unknown or absent one is a one-line error", () => {
    const rnnOnly = planWithSweeps(eiSweepExperiment, eiSweepExperiment.parse({ profile: "paper", models: "rnn" }), ["hidden=100"]).map((r) => r.runId);
    expect(rnnOnly).toEqual([0, 1, 2, 3, 4].map((s) => `ei-sweep/paper/rnn/n=100/seed=${s}`));
    // The ColEI / DANN ids are those of the runs made before the RNN baseline existed.
    expect(planWithSweeps(eiSweepExperiment, eiSweepExperiment.parse({ profile: "paper", models: "colei" }), ["hidden=100"]).map((r) => r.runId)[0]).toBe("ei-sweep/paper/colei/n=100/f=0.01/seed=0");
    expect(() => eiSweepExperiment.parse({ profile: "paper", models: "lstm" })).toThrow(/--models.*"lstm".*colei, dann, rnn/);
    expect(() => eiSweepExperiment.parse({ profile: "tiny", models: "rnn" })).toThrow(/^--models rnn leaves no model of the tiny grid \(colei, dann\)$/);
  });

  it("a sweep value the experiment cannot take is a one-line error", () => {
    const options = eiSweepExperiment.parse({ profile: "tiny" });
    expect(() => planWithSweeps(eiSweepExperiment, options, ["inhibitory=1.5"])).toThrow(/^--sweep inhibitory values must be fractions in \(0, 1\); got 1.5$/);
  });
});
