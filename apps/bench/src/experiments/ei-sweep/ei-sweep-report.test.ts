import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RnnRecord } from "../recurrent/rnn-record.js";
import { baselineGaps, eiSweepFindings, eiTrends, trendVerdict, writeEiSweepPlots, writeEiSweepReport } from "./ei-sweep-report.js";

const base = { schema: 1 as const, experiment: "ei-sweep" as const, task: "seqmnist" as const, profile: "smoke", learningRate: 0.01, clipping: null, epochs: 1, batchSize: 32, metric: "error rate", trainErrorPerEpoch: [0.5], evalCurve: [], finalTrainError: 0.5, wallSeconds: 1, backend: "cpu", versions: {}, finishedAt: "" };

/** One run: error and NSE given, σ_max falling with the fraction for ColEI. */
function run(model: string, n: number, f: number, seed: number, error: number, nse: number, diverged = false): RnnRecord {
  return {
    ...base,
    runId: `${model}/${n}/${f}/${seed}`,
    model,
    seed,
    finalEvalError: error,
    ...(diverged ? { diverged: { update: 10, reason: "non-finite loss" } } : {}),
    variant: { hidden: n, inhibitoryFraction: f, ni: Math.max(1, Math.round(f * n)), nseAtInit: nse, sigmaMaxAtInit: model === "colei" ? 20 - 10 * f + n / 100 : 1.1 },
  } as RnnRecord;
}

/** ColEI: fewer I units, higher error and lower NSE; DANN: error independent of the ratio. 5 seeds × 3 fractions at n = 100, and n = 300 at 10%. */
function grid(): RnnRecord[] {
  const rs: RnnRecord[] = [];
  for (let seed = 0; seed < 5; seed++) {
    for (const [f, err, nse] of [[0.01, 0.3, 0.5], [0.1, 0.1, 0.8], [0.5, 0.05, 0.92]] as const) {
      rs.push(run("colei", 100, f, seed, err + 0.01 * seed, nse + 0.001 * seed));
      rs.push(run("dann", 100, f, seed, 0.02 + 0.001 * ((seed * 7 + f * 100) % 5), 0.95));
    }
    rs.push(run("colei", 300, 0.1, seed, 0.04 + 0.01 * seed, 0.88 + 0.001 * seed));
  }
  return rs;
}

/** The standard RNN baseline at n = 100 (no inhibitoryFraction in its variant), 2% + 0.1 points per seed. */
function baseline(): RnnRecord[] {
  return [0, 1, 2, 3, 4].map((seed) => {
    const r = run("rnn", 100, 0, seed, 0.02 + 0.001 * seed, 0.95);
    const { inhibitoryFraction: _, ...variant } = r.variant!;
    return { ...r, runId: `rnn/${seed}`, variant: { ...variant, ni: 0, sigmaMaxAtInit: 1.1 } };
  });
}

describe("ei-sweep report", () => {
  it("finds the fraction trend at each size and the size trend at each fraction, with paired differences of the extremes", () => {
    const trends = eiTrends(grid());
    const frac = trends.find((t) => t.model === "colei" && t.varies === "fraction" && t.at === 100)!;
    expect(frac.levels).toEqual([0.01, 0.1, 0.5]);
    expect(frac.error.rho).toBeLessThan(-0.8);
    expect(frac.error.p).toBeLessThan(0.001);
    expect(frac.nse.rho).toBeGreaterThan(0.8);
    expect(frac.sigmaMax.rho).toBeLessThan(-0.8);
    // Error at 1% minus at 50%: (0.3 − 0.05) per seed = 25 points exactly, so no spread and no t test.
    expect(frac.lowestMinusHighest.mean).toBeCloseTo(25, 10);
    expect(frac.lowestMinusHighest.n).toBe(5);
    const size = trends.find((t) => t.model === "colei" && t.varies === "size")!;
    expect(size.at).toBe(0.1);
    expect(size.levels).toEqual([100, 300]);
    expect(size.lowestMinusHighest.mean).toBeCloseTo(6, 10);
    // No fraction trend at n = 300 (one fraction) and none for DANN over sizes (one size).
    expect(trends.filter((t) => t.model === "dann").map((t) => t.varies)).toEqual(["fraction"]);
  });

  it("the findings say which of the paper's claims hold, and DANN's insensitivity as an interval", () => {
    const text = eiSweepFindings(grid()).join("\n");
    expect(text).toMatch(/Fig\. 5, ColEI \(n = 100, 1%, 10%, 50% inhibitory\)\. Fewer inhibitory units lower the NSE: \*\*holds\*\*.*raise σ_max: \*\*holds\*\*.*impair learning \(higher error\): \*\*holds\*\*/);
    expect(text).toMatch(/Fig\. 5, DANN .*Error against the inhibitory fraction: not shown \(ρ_s = -?0\.\d\d, p = [01]\.\d{3}, 15 runs\); error at 1% minus at 50%: [+-]\d\.\d\d points \(95% CI ± \d\.\d\d; paired over 5 seeds, p = [01]\.\d{3}\)/);
    expect(text).toMatch(/Fig\. 6, ColEI \(10% inhibitory, n = 100, 300\)\. Larger networks raise the NSE: \*\*holds\*\*/);
    expect(text).toMatch(/Fig\. 7 D, ColEI.*over runs \*\*holds\*\* \(ρ_s = -0\.\d\d, p < 0\.001, 20 runs\); over the 4 \(size, ratio\) cells' means/);
  });

  it("the standard RNN is the baseline: each E/I cell's gap to it, paired over seeds; no fraction trend of its own", () => {
    const rs = [...grid(), ...baseline()];
    const gaps = baselineGaps(rs);
    // ColEI and DANN at 1%, 10%, 50% of n = 100 (n = 300 has no RNN).
    expect(gaps.map((g) => `${g.model} ${g.n} ${g.fraction}`)).toEqual(["colei 100 0.01", "colei 100 0.1", "colei 100 0.5", "dann 100 0.01", "dann 100 0.1", "dann 100 0.5"]);
    // ColEI at 1%: (0.3 + 0.01 s) − (0.02 + 0.001 s) = 28 + 0.9 s points: mean 29.8, std 0.9 √(5/2).
    const c = gaps[0]!.gap;
    expect(c.mean).toBeCloseTo(29.8, 10);
    expect(c.std).toBeCloseTo(0.9 * Math.sqrt(2.5), 10);
    expect(c.ci95).toBeCloseTo(2.7764451051977987 * (c.std / Math.sqrt(5)), 8); // t_{0.975, 4}
    expect(eiTrends(rs).filter((t) => t.model === "rnn")).toEqual([]);
    const text = eiSweepFindings(rs).join("\n");
    expect(text).toMatch(/Against the standard RNN of n = 100 .*COLEI at 1% \+29\.80 points \(95% CI ± \d\.\d\d; paired over 5 seeds, p < 0\.001\)/);
    const out = mkdtempSync(join(tmpdir(), "ei-sweep-rnn-"));
    writeEiSweepReport(out, rs);
    expect(readFileSync(join(out, "report.md"), "utf8")).toMatch(/\| rnn \| 100 \| — \(no E:I split\) \| 5 \| 0\.950 \| 1\.10 \| 2\.20% ± 0\.16 \|/);
  });

  it("trendVerdict: the opposite sign, too few runs", () => {
    expect(trendVerdict({ rho: 0.9, n: 20, p: 0.001 }, -1)).toMatch(/^\*\*the opposite holds\*\*/);
    expect(trendVerdict({ rho: Number.NaN, n: 2, p: Number.NaN }, 1)).toMatch(/^not testable \(2 run/);
  });

  it("a diverged run counts as 100% error in the trend tests and is left out of the cell means", () => {
    const rs = grid().map((r) => (r.model === "colei" && r.variant?.inhibitoryFraction === 0.5 && r.seed === 0 ? { ...r, diverged: { update: 5, reason: "non-finite loss" } } : r));
    const frac = eiTrends(rs).find((t) => t.model === "colei" && t.varies === "fraction" && t.at === 100)!;
    expect(frac.error.n).toBe(15);
    expect(frac.lowestMinusHighest.n).toBe(4);
    const out = mkdtempSync(join(tmpdir(), "ei-sweep-"));
    writeEiSweepReport(out, rs);
    const report = readFileSync(join(out, "report.md"), "utf8");
    // Seeds 1-4 of ColEI at 50%: 6, 7, 8, 9% → 7.50 ± 1.29.
    expect(report).toMatch(/\| colei \| 100 \| 50% \(n_i = 50\) \| 5 \(1 diverged\) \| 0\.92\d \| \d+\.\d\d \| 7\.50% ± 1\.29 \|/);
    // Cells sorted by model, then size numerically, then fraction.
    const order = [...report.matchAll(/^\| (colei|dann) \| (\d+) \| ([\d.]+)%/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    expect(order).toEqual(["colei 100 1", "colei 100 10", "colei 100 50", "colei 300 10", "dann 100 1", "dann 100 10", "dann 100 50"]);
  });

  it("writes the scatter always, and the Fig. 5 and Fig. 6 trend plots only where the grid varies that axis", async () => {
    const out = mkdtempSync(join(tmpdir(), "ei-sweep-plots-"));
    const plots = await writeEiSweepPlots(out, [...grid(), ...baseline()]);
    expect(plots.map((p) => p.slice(out.length + 1)).sort()).toEqual(["error-vs-inhibitory.svg", "error-vs-size.svg", "nse-vs-error.svg"]);
    for (const p of plots) expect(readFileSync(p, "utf8")).toMatch(/^<svg/);
    const single = mkdtempSync(join(tmpdir(), "ei-sweep-one-"));
    expect((await writeEiSweepPlots(single, [run("colei", 100, 0.1, 0, 0.1, 0.8)])).length).toBe(1);
    expect(existsSync(join(single, "error-vs-size.svg"))).toBe(false);
    writeEiSweepReport(out, grid(), plots);
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain("![Fig. 6 A-C](error-vs-size.svg)");
  });
});
