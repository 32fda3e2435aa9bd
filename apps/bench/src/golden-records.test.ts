/**
 * Every experiment's records against the golden records of the dale-bench before the experiment
 * registry (src/test-fixtures/golden/README.md): same run ids, every field but timing and versions
 * bit for bit.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { bench, deterministic, rows, type Row } from "./test-fixtures/run-cli.js";

const GOLDEN = fileURLToPath(new URL("./test-fixtures/golden/", import.meta.url));
const ENV = { DALE_OPENBLAS_DISABLE: "1" };

const CASES: Array<[string, string[]]> = [
  ["ffwd", ["ffwd", "--profile", "smoke", "--train-limit", "300", "--epochs", "1", "--models", "mlp,dann", "--backend", "wasm"]],
  ["ffwd-search", ["ffwd", "--models", "mlp", "--search", "2", "--train-limit", "160", "--epochs", "1", "--backend", "wasm"]],
  ["rnn", ["rnn", "--task", "all", "--profile", "tiny", "--backend", "cpu"]],
  ["transplant", ["transplant", "--profile", "tiny", "--backend", "cpu"]],
  ["ei-sweep", ["ei-sweep", "--profile", "tiny", "--backend", "cpu"]],
  ["nse", ["nse", "--profile", "smoke"]],
];

function byRunId(rs: Row[]): Map<string, Row> {
  return new Map(rs.map((r) => [String(r.runId), deterministic(r)]));
}

describe("golden records", () => {
  for (const [name, args] of CASES) {
    it(`dale-bench ${args.join(" ")} gives the golden records of the earlier version`, async () => {
      const out = mkdtempSync(join(tmpdir(), `golden-${name}-`));
      const r = await bench([...args, "--out", out], ENV);
      expect(r.status, r.stderr).toBe(0);
      const golden = byRunId(rows(join(GOLDEN, name)));
      const now = byRunId(rows(out));
      expect([...now.keys()].sort()).toEqual([...golden.keys()].sort());
      for (const [id, g] of golden) expect(now.get(id), id).toEqual(g);
    });
  }

  it("dale-bench spectra --n 16 --draws 3 writes the golden report", async () => {
    const out = mkdtempSync(join(tmpdir(), "golden-spectra-"));
    const r = await bench(["spectra", "--n", "16", "--draws", "3", "--out", out], ENV);
    expect(r.status, r.stderr).toBe(0);
    // The experiment's report, then the runner's Commands section (which names this test's temporary --out).
    const text = readFileSync(join(out, "report.md"), "utf8");
    const commands = text.indexOf("\n## Commands\n");
    expect(commands).toBeGreaterThan(0);
    expect(text.slice(0, commands)).toBe(readFileSync(join(GOLDEN, "spectra", "report.md"), "utf8"));
    expect(text.slice(commands)).toContain(`\n\`\`\`sh\nnpx dale-bench spectra --n 16 --draws 3 --out ${out}\n\`\`\`\n`);
  });
});
