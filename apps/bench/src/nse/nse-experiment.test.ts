import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NSE_PROFILES, initialRecurrentMatrix, planNseCells, readNseRecords, renderNseMarkdown, runNse } from "./nse-experiment.js";

describe("dale-bench nse", () => {
  it("planNseCells(quick) has 3 sizes x (1 RNN + 3 ColEI + 3 DANN) cells", () => {
    const cells = planNseCells(NSE_PROFILES.quick);
    expect(cells).toHaveLength(21);
    expect(new Set(cells.map((c) => c.runId)).size).toBe(21);
  });

  it("initialRecurrentMatrix gives a column-centred DANN W and a column-signed ColEI W with zero diagonal", () => {
    const n = 50;
    const dann = initialRecurrentMatrix("dann", n, 0.1, 1);
    for (let c = 0; c < n; c++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += dann.data[r * n + c]!;
      expect(Math.abs(s)).toBeLessThan(1e-5);
    }
    const colei = initialRecurrentMatrix("colei", n, 0.1, 1);
    expect(colei.ni).toBe(5);
    for (let r = 0; r < n; r++) {
      expect(colei.data[r * n + r]).toBe(0);
      for (let c = 0; c < n; c++) if (r !== c) expect(Math.sign(colei.data[r * n + c]!)).toBe(c < 45 ? 1 : -1);
    }
  });

  it("runNse(smoke) reproduces the n = 100 NSE of our numpy run within 0.01, resumes, and renders the table", () => {
    const out = mkdtempSync(join(tmpdir(), "nse-"));
    const lines: string[] = [];
    const records = runNse({ profile: NSE_PROFILES.smoke, out, log: (l) => lines.push(l) });
    expect(records).toHaveLength(7);
    const get = (model: string, f: number) => records.find((r) => r.model === model && (model === "rnn" || r.inhibitoryFraction === f))!.mean;
    expect(Math.abs(get("rnn", 0) - 0.953)).toBeLessThan(0.01);
    expect(Math.abs(get("dann", 0.1) - 0.95)).toBeLessThan(0.01);
    expect(Math.abs(get("colei", 0.5) - 0.92)).toBeLessThan(0.01);
    expect(Math.abs(get("colei", 0.1) - 0.8)).toBeLessThan(0.02);
    // A killed run leaves a cut line: it is ignored and the cells before it are kept.
    writeFileSync(join(out, "results.jsonl"), `${readFileSync(join(out, "results.jsonl"), "utf8")}{"schema":1,"experim`);
    const again: string[] = [];
    runNse({ profile: NSE_PROFILES.smoke, out, log: (l) => again.push(l) });
    expect(again[0]).toMatch(/7 cells, 7 already in/);
    expect(readNseRecords(out)).toHaveLength(7);
    const md = renderNseMarkdown(records, "t");
    expect(md).toMatch(/\| colei \| 100 \| 10% \(n_i = 10\) \| 5 \| 0\.\d{3} ± 0\.\d{3} \| 0\.800 \|/);
  });
});
