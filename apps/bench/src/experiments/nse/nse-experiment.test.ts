import { describe, expect, it } from "vitest";
import { NSE_PROFILES, computeNseCell, planNseCells, renderNseMarkdown } from "./nse-experiment.js";
import { initialRecurrentMatrix } from "../recurrent/initial-recurrent-matrix.js";

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

  it("computeNseCell over the smoke cells reproduces the n = 100 NSE of our numpy run within 0.01 and renders the table", () => {
    const records = planNseCells(NSE_PROFILES.smoke).map(computeNseCell);
    expect(records).toHaveLength(7);
    const get = (model: string, f: number) => records.find((r) => r.model === model && (model === "rnn" || r.inhibitoryFraction === f))!.mean;
    expect(Math.abs(get("rnn", 0) - 0.953)).toBeLessThan(0.01);
    expect(Math.abs(get("dann", 0.1) - 0.95)).toBeLessThan(0.01);
    expect(Math.abs(get("colei", 0.5) - 0.92)).toBeLessThan(0.01);
    expect(Math.abs(get("colei", 0.1) - 0.8)).toBeLessThan(0.02);
    const md = renderNseMarkdown(records, "t");
    expect(md).toMatch(/\| colei \| 100 \| 10% \(n_i = 10\) \| 5 \| 0\.\d{3} ± 0\.\d{3} \| 0\.800 \|/);
  });
});
