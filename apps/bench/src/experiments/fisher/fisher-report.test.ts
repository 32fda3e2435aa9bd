import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fisherRecordFixture } from "./fisher-record-fixture.js";
import { epochMeansTable, fisherVerdict, layerTitle, tableEpochs, writeFisherReport } from "./fisher-report.js";

describe("fisher report", () => {
  it("fisherVerdict(records) says the claim holds when corrected > uncorrected at every curve point and epoch mean of every layer", () => {
    expect(fisherVerdict([fisherRecordFixture(), fisherRecordFixture({ seed: 1 })])).toBe(
      "The heuristically corrected gradient was more aligned with the Fisher-corrected gradient than the uncorrected gradient throughout training in every layer " +
        "(corrected > uncorrected at all 16 points of the 4-update moving averages and in all 8 layer-epoch means, 2 runs): the paper's claim (Fig. 2) holds here. " +
        "The smallest margin, corrected − uncorrected = 0.300, is in layer 1 at update 2 (seed 0) (0.500 against 0.200).",
    );
  });

  it("fisherVerdict(records) gives the smallest margin with more digits when it is tiny, and flags layers whose cosines end near zero", () => {
    const r = fisherRecordFixture();
    for (const p of r.layers[1]!.curve) Object.assign(p, { raw: 0.0001, corrected: 0.0003 });
    for (const m of r.layers[1]!.epochMeans) Object.assign(m, { raw: 0.0001, corrected: 0.0003 });
    expect(fisherVerdict([r])).toMatch(/holds here\. The smallest margin, corrected − uncorrected = 0\.00020, is in layer 2 at update 2 \(0\.00030 against 0\.00010\)\. In layer 2 both cosines end below 0\.05 \(last-epoch means\): there the Fisher-corrected gradient is nearly orthogonal to both gradients, and the comparison says little\.$/);
  });

  it("fisherVerdict(records) names the layers, the points and the epochs where corrected <= uncorrected, and the layers where the claim holds", () => {
    const r = fisherRecordFixture();
    r.layers[1]!.curve[2]!.corrected = 0.1; // update 6
    r.layers[1]!.curve[3]!.corrected = 0.2; // update 8: a tie is not "more aligned"
    r.layers[1]!.epochMeans[1]!.corrected = 0.15;
    expect(fisherVerdict([r])).toBe(
      "The paper's claim (Fig. 2: corrected more aligned with the Fisher-corrected gradient than uncorrected, throughout training) does not hold here throughout (1 run): " +
        "corrected ≤ uncorrected in layer 2 at 2 of 4 moving-average points (first at update 6) and in the mean of epoch 2. It holds throughout in layer 1.",
    );
    const all = fisherRecordFixture({}, 0.1);
    expect(fisherVerdict([all])).toMatch(/in layer 1 at 4 of 4 moving-average points \(first at update 2\) and in the mean of epochs 1 and 2; layer 2 .*\.$/);
    expect(fisherVerdict([])).toMatch(/^No alignment was recorded/);
  });

  it("tableEpochs(E) is the first, middle and last epoch without repeats; epochMeansTable averages each over seeds", () => {
    expect(tableEpochs(50)).toEqual([1, 25, 50]);
    expect(tableEpochs(3)).toEqual([1, 2, 3]);
    expect(tableEpochs(2)).toEqual([1, 2]);
    expect(tableEpochs(1)).toEqual([1]);
    const a = fisherRecordFixture({}, 0.4);
    const b = fisherRecordFixture({ seed: 1 }, 0.6);
    const table = epochMeansTable([a, b]);
    expect(table[0]).toBe("| layer | epoch 1: uncorrected | epoch 1: corrected | epoch 2: uncorrected | epoch 2: corrected |");
    expect(table[2]).toBe(`| ${layerTitle(a.layers[0]!)} | 0.200 ± 0.000 | 0.500 ± 0.141 | 0.200 ± 0.000 | 0.500 ± 0.141 |`);
    expect(layerTitle(a.layers[0]!)).toBe("layer 1: 784 → 500 E, 50 I");
  });

  it("writeFisherReport(out, records) writes report.md with the verdict, the table and the test error, and one SVG per configuration", async () => {
    const out = mkdtempSync(join(tmpdir(), "fisher-report-"));
    const paths = await writeFisherReport(out, [fisherRecordFixture(), fisherRecordFixture({ runId: "x", model: "dann-1i" })]);
    expect(paths).toEqual([join(out, "report.md"), join(out, "fisher-alignment-dann-tiny.svg"), join(out, "fisher-alignment-dann-1i-tiny.svg")]);
    const md = readFileSync(paths[0]!, "utf8");
    expect(md).toMatch(/^## dann, profile tiny$/m);
    expect(md).toMatch(/^## dann-1i, profile tiny$/m);
    expect(md).toMatch(/^\*\*The heuristically corrected gradient was more aligned .* holds here\. The smallest margin.*\*\*$/m);
    expect(md).toMatch(/Test error \(100 test images\) after 2 epoch\(s\): 30\.00%/);
    expect(md).toMatch(/784 − 1 × \(500 E, 50 I\) − 10 \(1 I\)/);
    for (const p of paths.slice(1)) {
      expect(existsSync(p)).toBe(true);
      expect(readFileSync(p, "utf8")).toMatch(/^<svg/);
    }
    const empty = mkdtempSync(join(tmpdir(), "fisher-report-empty-"));
    await writeFisherReport(empty, []);
    expect(readFileSync(join(empty, "report.md"), "utf8")).toMatch(/No finished run yet/);
  });
});
