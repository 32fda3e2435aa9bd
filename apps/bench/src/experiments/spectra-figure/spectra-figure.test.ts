import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXPERIMENTS } from "../registry.js";
import { spectraFigureExperiment, spectraOfModel, writeSpectraReport } from "./spectra-figure-experiment.js";

describe("dale-bench spectra", () => {
  it("spectraOfModel + writeSpectraReport write the SVGs; ColEI sits at radius ρ with a large σ_max, RNN and DANN near the circular law", async () => {
    const out = mkdtempSync(join(tmpdir(), "spectra-"));
    const o = { n: 60, inhibitoryFraction: 0.1, draws: 3, rho: 1.5 };
    const stats = (["rnn", "colei", "dann"] as const).map((m) => spectraOfModel(m, o, m));
    const by = Object.fromEntries(stats.map((s) => [s.model, s]));
    expect(by.colei!.meanSpectralRadius).toBeCloseTo(1.5, 6);
    // Uniform(±1/√n) entries have variance 1/(3n): the circular law gives radius ≈ 1/√3.
    expect(by.rnn!.meanSpectralRadius).toBeGreaterThan(0.45);
    expect(by.rnn!.meanSpectralRadius).toBeLessThan(0.75);
    expect(by.colei!.meanLargestSingularValue).toBeGreaterThan(3 * by.rnn!.meanLargestSingularValue);
    expect(by.colei!.meanNse).toBeLessThan(by.dann!.meanNse);
    await writeSpectraReport(out, stats);
    for (const f of ["eigenvalues.svg", "singular-values.svg", "report.md"]) expect(existsSync(join(out, f))).toBe(true);
    expect(readFileSync(join(out, "eigenvalues.svg"), "utf8")).toMatch(/^<svg/);
    expect(readFileSync(join(out, "report.md"), "utf8")).toMatch(/\| ColEI \| 1\.500 \|/);
  });

  it("plugs in as one folder and one registry line: the registry lists it, and its plan is one run per model", () => {
    expect(EXPERIMENTS).toContain(spectraFigureExperiment);
    const runs = spectraFigureExperiment.plan(spectraFigureExperiment.parse({ n: "16", draws: "2" }));
    expect(runs.map((r) => r.runId)).toEqual(["spectra/n=16/f=0.1/draws=2/rho=1.5/rnn", "spectra/n=16/f=0.1/draws=2/rho=1.5/colei", "spectra/n=16/f=0.1/draws=2/rho=1.5/dann"]);
  });
});
