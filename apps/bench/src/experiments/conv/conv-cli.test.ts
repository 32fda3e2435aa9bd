import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bench, benchKilledAt, deterministic, rows } from "../../test-fixtures/run-cli.js";
import { validateConvRecord } from "./conv-record.js";

const TINY = ["conv", "--profile", "tiny", "--data", "cats-dogs"];

describe("dale-bench conv and selectivity", () => {
  it("conv --profile tiny --data cats-dogs trains Standard and StandardEI, keeps their weights, resumes, and selectivity DIR --json analyses them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "conv-tiny-"));
    const killed = await benchKilledAt([...TINY, "--out", dir], /\[2\/2\]/);
    expect(killed).toMatch(/standard seed 0: final test accuracy/);
    expect(rows(dir).map((r) => r.model)).toEqual(["standard"]);
    const rerun = await bench([...TINY, "--out", dir]);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(/1 already in/);
    expect(rerun.stdout).not.toMatch(/\[1\/\d\] standard seed/);
    const records = rows(dir);
    expect(records.map((r) => r.model)).toEqual(["standard", "standard-ei"]);
    for (const r of records) {
      validateConvRecord(r, "test");
      expect(r).toMatchObject({ dataset: "cats-dogs", epochs: 1, batchSize: 8, trainImages: 16, testImages: 16, updatesPerEpoch: 2, savedEpochs: [0, 1] });
      expect((r.testAccuracyPerEpoch as number[]).length).toBe(2);
    }
    const again = await bench([...TINY, "--out", dir]);
    expect(again.stdout).toMatch(/2 already in/);
    expect(rows(dir).map(deterministic)).toEqual(records.map(deterministic));
    expect(readFileSync(join(dir, "report.md"), "utf8")).toMatch(/no paper number for cats-dogs/);
    expect(existsSync(join(dir, "accuracy-cats-dogs.svg"))).toBe(true);
    expect(readdirSync(join(dir, "models"))).toHaveLength(2);

    const sel = await bench(["selectivity", dir, "--json", "--images", "40", "--resamples", "200"]);
    expect(sel.status, sel.stderr).toBe(0);
    const out = sel.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    // 2 models x 2 epochs x 2 areas; Standard: PN, IG, OG; StandardEI: E, I.
    expect(out).toHaveLength(2 * 2 * 3 + 2 * 2 * 2);
    for (const r of out) {
      expect(["PN", "IG", "OG", "E", "I"]).toContain(r.cellType);
      expect(["area3", "area4"]).toContain(r.area);
      expect([0, 1]).toContain(r.epoch);
      for (const k of ["gosi", "orientationSkewness", "imageSkewness"]) expect(r[k] === null || Number.isFinite(r[k])).toBe(true);
      if (r.gosi !== null) expect(r.gosi as number).toBeGreaterThanOrEqual(0);
      expect(r.channels).toBe(r.cellType === "PN" || r.cellType === "E" ? (r.area === "area3" ? 8 : 16) : r.area === "area3" ? 2 : 4);
      const d = r.density as Record<string, number>;
      const keys = r.model === "standard" ? ["PN→PN", "Int→PN", "IG→PN", "OG→PN"] : ["E→E", "I→E"];
      for (const k of keys) expect(d[k]).toBeGreaterThanOrEqual(0);
    }
    expect(readFileSync(join(dir, "selectivity.md"), "utf8")).toMatch(/Δ image skewness/);
  });

  it("conv --describe standard prints the areas and 107,098 parameters", async () => {
    const r = await bench(["conv", "--describe", "standard"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/area3 .* 21952 /);
    expect(r.stdout).toMatch(/total trainable 107098/);
  });

  it("conv with a wrong --data, an unknown model, a truncated CIFAR-10 file, a label byte above 9 or a negative --bn-images is one line and exit 2", async () => {
    const cifar = mkdtempSync(join(tmpdir(), "conv-cifar-"));
    for (const f of ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"]) writeFileSync(join(cifar, f), new Uint8Array(3073));
    writeFileSync(join(cifar, "data_batch_3.bin"), new Uint8Array(3073 * 2 - 5));
    const badLabel = mkdtempSync(join(tmpdir(), "conv-cifar-label-"));
    for (const f of ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"]) writeFileSync(join(badLabel, f), new Uint8Array(3073));
    const labelled = new Uint8Array(3073 * 2);
    labelled[3073] = 12;
    writeFileSync(join(badLabel, "test_batch.bin"), labelled);
    const out = mkdtempSync(join(tmpdir(), "conv-bad-"));
    const cases: Array<[string[], RegExp]> = [
      [["conv", "--data", "imagenet", "--out", out], /unknown --data "imagenet"/],
      [["conv", "--models", "standard,lstm", "--out", out], /lstm/],
      [["conv", "--profile", "tiny", "--data", "cifar10", "--data-dir", cifar, "--out", out], /data_batch_3\.bin: size 6141 bytes is not a positive multiple of .*3073/],
      [["conv", "--data", "cifar10", "--out", out], /needs --data-dir/],
      [["conv", "--profile", "tiny", "--data", "cifar10", "--data-dir", badLabel, "--out", out], /test_batch\.bin.*record 1.*12/],
      [["conv", "--profile", "tiny", "--bn-images", "-1", "--out", out], /--bn-images must be an integer >= 0; got "-1"/],
    ];
    for (const [args, pattern] of cases) {
      const r = await bench(args);
      expect(r.status, r.stdout + r.stderr).toBe(2);
      expect(r.stderr.trim().split("\n").filter((l) => l.startsWith("dale-bench:"))).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    }
  });
});
