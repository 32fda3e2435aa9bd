import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RnnRecord } from "../recurrent/rnn-record.js";
import { isTable1Run, TRANSPLANT_CONFIGS } from "./transplant-config.js";
import { transplantEffects, transplantFindings, writeTransplantFigure, writeTransplantReport } from "./transplant-report.js";

/** 8 configurations x 5 seeds, error (%) = 2 + the factors' costs + a seed offset + a small seed-by-config wobble. */
function design(cost: { spectrum: number; vectors: number; sign: number }): RnnRecord[] {
  const base = { schema: 1 as const, experiment: "transplant" as const, task: "seqmnist" as const, model: "x", profile: "paper", learningRate: 0.01, clipping: { maxNorm: 10, scope: "global" as const }, epochs: 30, batchSize: 32, metric: "error rate", trainErrorPerEpoch: [], evalCurve: [], finalTrainError: 0, wallSeconds: 1, backend: "cpu", versions: {}, finishedAt: "" };
  return TRANSPLANT_CONFIGS.flatMap((c, i) =>
    [0, 1, 2, 3, 4].map((seed) => {
      const error = 2 + (c.spectrum === "colei" ? cost.spectrum : 0) + (c.vectors === "colei" ? cost.vectors : 0) + (c.signConstrained ? cost.sign : 0) + 0.3 * seed + 0.05 * (((i + 1) * (seed + 2)) % 3);
      return { ...base, runId: `${i}/${seed}`, seed, finalEvalError: error / 100, variant: { ...c, nseAtInit: 0.9, sigmaMaxAtInit: 2 } };
    }),
  );
}

describe("transplant report", () => {
  it("transplantEffects pairs seeds: each factor's cost in both ablations, with the seed offset gone", () => {
    const effects = transplantEffects(design({ spectrum: 1.5, vectors: 0.2, sign: 0.4 }));
    const of = (ablation: string, factor: string) => effects.find((e) => e.ablation === ablation && e.factor === factor)!;
    expect(of("RNN", "spectrum").ours.mean).toBeCloseTo(1.5, 1);
    expect(of("ColEI", "sign").ours.mean).toBeCloseTo(0.4, 1);
    // The 0.3-per-seed offset would give a std near 0.47 unpaired; paired it is only the wobble.
    expect(of("RNN", "spectrum").ours.std).toBeLessThan(0.1);
    // The paper's own Fig. 4 C numbers, from its Table 1: the RNN plus ColEI's spectrum is 3.04 against 1.65.
    expect(of("RNN", "spectrum").paper).toBeCloseTo(1.39, 10);
    expect(of("ColEI", "vectors").paper).toBeCloseTo(0.45, 10);
  });

  it("transplantFindings says whether the spectrum costs more than the vectors and the signs, and when it does not", () => {
    const paperLike = transplantFindings(design({ spectrum: 1.5, vectors: 0.2, sign: 0.4 })).join("\n");
    expect(paperLike).toMatch(/the order is spectrum > sign constraints > singular vectors/);
    expect(paperLike).toMatch(/Spectrum against singular vectors: .* the paper's conclusion \(the spectrum matters more\) holds here/);
    expect(paperLike).toMatch(/Spectrum against sign constraints: .* holds here/);
    const signsFirst = transplantFindings(design({ spectrum: 0.3, vectors: 0.2, sign: 1.2 })).join("\n");
    expect(signsFirst).toMatch(/Spectrum against sign constraints: .* the paper's ordering does not hold here/);
    // Far from the paper's Table 1 everywhere: no configuration reads as consistent.
    expect(transplantFindings(design({ spectrum: 5, vectors: 5, sign: 5 })).join("\n")).toMatch(/Table 1, final test error: [0-2] of 8 configurations are consistent/);
  });

  it("writes the report with the paper's column and the Fig. 4 C figure", async () => {
    const out = mkdtempSync(join(tmpdir(), "transplant-report-"));
    const records = design({ spectrum: 1.5, vectors: 0.2, sign: 0.4 });
    const figure = await writeTransplantFigure(out, records);
    writeTransplantReport(out, records, figure);
    expect(existsSync(join(out, "fig4c-transplant-effects.svg"))).toBe(true);
    const report = readFileSync(join(out, "report.md"), "utf8");
    expect(report).toMatch(/\| RNN \| RNN \| no \| 5 \| 0\.900 \| 2\.00 \| [\d.]+% ± [\d.]+ \| 1\.65% ± 0\.27 \| [\d.<> ]+ \|/);
    expect(report).toMatch(/\| from the RNN \(error added\) \| spectrum \| \+1\.\d\d ± 0\.\d\d \| < 0\.001 \| 0\.008 \| \+1\.39 \|/); // Mann–Whitney: 5 runs above 5, two-sided 2/252
    expect(report).toMatch(/!\[Fig\. 4 C\]\(fig4c-transplant-effects\.svg\)/);
  });

  it("runs at another clipping stay out of Table 1 and Fig. 4 C and get their own rows, paired against the default clipping", async () => {
    const table1 = design({ spectrum: 1.5, vectors: 0.2, sign: 0.4 });
    // The RNN unclipped: 0.4 + 0.01 × seed points better than its clipped runs.
    const unclipped = table1
      .filter((r) => r.variant?.vectors === "rnn" && r.variant?.spectrum === "rnn" && r.variant?.signConstrained === false)
      .map((r) => ({ ...r, runId: `${r.runId}/none`, clipping: null, finalEvalError: r.finalEvalError! - 0.004 - 0.0001 * r.seed }));
    const out = mkdtempSync(join(tmpdir(), "transplant-clip-"));
    writeTransplantReport(out, [...table1, ...unclipped]);
    const report = readFileSync(join(out, "report.md"), "utf8");
    // Table 1's RNN row still has its 5 clipped seeds only.
    expect(report).toMatch(/\| RNN \| RNN \| no \| 5 \| 0\.900 \|/);
    expect(report).toMatch(/## Other clippings and the whole-network transplant/);
    expect(report).toMatch(/\| RNN \| RNN \| no \| none \| W \| 5 \| [\d.]+% ± [\d.]+ \| -0\.42 ± 0\.02 \(< 0\.001, 5 seeds\) \| 1\.65% ± 0\.27 \| [\d.<> ]+ \|/);
    expect(transplantEffects([...table1, ...unclipped].filter((r) => r.clipping !== null))).toEqual(transplantEffects(table1));
    // Without other clippings there is no such section.
    writeTransplantReport(out, table1);
    expect(readFileSync(join(out, "report.md"), "utf8")).not.toMatch(/Other clipping/);
  });

  it("whole-network transplant runs (--layers all) stay out of Table 1 and Fig. 4 C and get their own rows", async () => {
    const table1 = design({ spectrum: 1.5, vectors: 0.2, sign: 0.4 });
    // RNN vectors + ColEI spectrum, frozen signs, all layers: 0.6 points worse than W only, at every seed.
    const all = table1
      .filter((r) => r.variant?.vectors === "rnn" && r.variant?.spectrum === "colei" && r.variant?.signConstrained === true)
      .map((r) => ({ ...r, runId: `${r.runId}/layers=all`, variant: { ...r.variant, layers: "all" }, finalEvalError: r.finalEvalError! + 0.006 }));
    const out = mkdtempSync(join(tmpdir(), "transplant-layers-"));
    writeTransplantReport(out, [...table1, ...all]);
    const report = readFileSync(join(out, "report.md"), "utf8");
    expect(report).toMatch(/\| RNN \| ColEI \| yes \| global 10 \| U, W, readout \| 5 \| [\d.]+% ± [\d.]+ \| \+0\.60 ± 0\.00 \([\d.<> ]+, 5 seeds\) \| 3\.50% ± 0\.57 \| [\d.<> ]+ \| — \| — \|/);
    expect(transplantEffects([...table1, ...all].filter(isTable1Run))).toEqual(transplantEffects(table1));
  });

  it("Table 1 also reads each run's test error at update 46,800, as the paper's notebook does, against the paper", async () => {
    // Every run's curve: 1 point above its final error at update 46,800.
    const table1 = design({ spectrum: 1.5, vectors: 0.2, sign: 0.4 }).map((r) => ({ ...r, evalCurve: [{ update: 46_800, error: r.finalEvalError! + 0.01 }, { update: 56_250, error: r.finalEvalError! }] }));
    const out = mkdtempSync(join(tmpdir(), "transplant-readout-"));
    writeTransplantReport(out, table1);
    const report = readFileSync(join(out, "report.md"), "utf8");
    const row = report.split("\n").find((l) => l.startsWith("| RNN | RNN | no | 5 |"))!;
    const cells = row.split(" | ");
    const final = Number(cells[6]!.split("%")[0]);
    const read = Number(cells[9]!.split("%")[0]);
    expect(read - final).toBeCloseTo(1, 2);
    expect(transplantFindings(table1).join("\n")).toMatch(/Table 1, test error at update 46,800 \(the paper's read-out\): \d of 8 configurations/);
  });
});
