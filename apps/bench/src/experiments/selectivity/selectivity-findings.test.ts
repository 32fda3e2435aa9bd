import { describe, expect, it } from "vitest";
import type { SelectivityRow } from "./analyse-network.js";
import { selectivityFindings } from "./selectivity-findings.js";

function row(p: Partial<SelectivityRow> & Pick<SelectivityRow, "seed" | "epoch" | "cellType">): SelectivityRow {
  return {
    runId: `conv/x/standard/seed=${p.seed}`,
    dataset: "fashion32",
    model: "standard",
    area: "area3",
    channels: 4,
    silentOnGratings: 0,
    silentOnImages: 0,
    gosi: 0.5,
    orientationSkewness: 1,
    imageSkewness: 1,
    imageSkewnessPerChannel: [1, 1, 1, 1],
    density: { "PN→PN": 0.5, "Int→PN": 0.5 },
    ...p,
  } as SelectivityRow;
}

describe("selectivityFindings", () => {
  it("measures each gap principal − interneuron per network (cell types weighted by responsive channels), with a verdict from the bootstrap interval and the growth from epoch 0", () => {
    const rows: SelectivityRow[] = [];
    for (const seed of [0, 1, 2]) {
      // Epoch 0: no gaps.
      rows.push(row({ seed, epoch: 0, cellType: "PN" }), row({ seed, epoch: 0, cellType: "IG" }), row({ seed, epoch: 0, cellType: "OG" }));
      // Epoch 5: PN gOSI 0.6 + 0.01·seed; IG 0.2 on 4 channels, OG 0.5 on 2 responsive of 4 → Int mean (0.8 + 1.0) / 6 = 0.3.
      // Image skewness lower for PN (opposite); density Int→PN − PN→PN = 0.1 + 0.05·(seed − 1) (resolved above 0).
      const d = { "PN→PN": 0.4, "Int→PN": 0.5 + 0.05 * (seed - 1) };
      rows.push(
        row({ seed, epoch: 5, cellType: "PN", gosi: 0.6 + 0.01 * seed, imageSkewness: 0.5, orientationSkewness: 1 + (seed - 1), density: d }),
        row({ seed, epoch: 5, cellType: "IG", gosi: 0.2, imageSkewness: 2, density: d }),
        row({ seed, epoch: 5, cellType: "OG", gosi: 0.5, silentOnGratings: 2, imageSkewness: 2, density: d }),
      );
    }
    const f = selectivityFindings(rows, { seed: 0, resamples: 500 });
    expect(f.map((x) => x.measure)).toEqual(["gOSI", "orientation skewness", "image skewness", "density"]);
    const [gosi, orient, image, density] = f as [typeof f[0], typeof f[0], typeof f[0], typeof f[0]];
    expect([...gosi.last.values].map((v) => +v.toFixed(10))).toEqual([0.3, 0.31, 0.32]);
    expect(gosi.initial!.mean).toBe(0);
    expect(gosi).toMatchObject({ lastEpoch: 5, verdict: "as in the paper", growthVerdict: "grew" });
    expect(gosi.last.n).toBe(3);
    // Orientation skewness gap −1, 0, 1: the interval holds 0.
    expect(orient.verdict).toBe("not resolved");
    expect(image).toMatchObject({ verdict: "opposite to the paper", growthVerdict: "shrank" });
    expect(image.last.mean).toBeCloseTo(-1.5, 12);
    expect(density.last.mean).toBeCloseTo(0.1, 12);
    expect(density.verdict).toBe("as in the paper");
  });

  it("leaves out networks whose interneurons are all silent, and has no initial or growth entry without epoch 0", () => {
    const rows = [
      row({ seed: 0, epoch: 3, cellType: "E", gosi: 0.4 }),
      row({ seed: 0, epoch: 3, cellType: "I", gosi: null, silentOnGratings: 4 }),
      row({ seed: 1, epoch: 3, cellType: "E", gosi: 0.4 }),
      row({ seed: 1, epoch: 3, cellType: "I", gosi: 0.1 }),
    ].map((r) => ({ ...r, model: "standard-ei", density: { "E→E": 0.3, "I→E": 0.6 } }));
    const f = selectivityFindings(rows, { seed: 1, resamples: 200 });
    const gosi = f.find((x) => x.measure === "gOSI")!;
    expect(gosi.last.n).toBe(1);
    expect(gosi.verdict).toBe("one network: no interval");
    expect(gosi.last.mean).toBeCloseTo(0.3, 12);
    expect(gosi.initial).toBeNull();
    expect(gosi.growth).toBeNull();
    expect(f.find((x) => x.measure === "density")!.last.mean).toBeCloseTo(0.3, 12);
  });
});
