/** dale-bench task as a user meets it: the built CLI in a child process, tiny profile (one run of the mix experiment). */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bench, rows } from "../../test-fixtures/run-cli.js";
import { validateMixRecord } from "../mix/mix-record.js";

const TINY = ["--profile", "tiny", "--backend", "wasm"];

describe("dale-bench task", () => {
  it("dale-bench task perceptual-decision-making --profile tiny trains one mixture network and reports its accuracy and psychometric curve", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dale-bench-task-"));
    const r = await bench(["task", "perceptual-decision-making", ...TINY, "--a0", "0.3", "--units", "12", "--tau-i", "50", "--out", dir]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/final: accuracy 0\.\d{3}, a 0\.3 -> 0\.\d{4}/);
    expect(r.stdout).toMatch(/psychometric \(signed coherence \(%\) -> P\(choice 1\)\): -51\.2: /);
    const [row] = rows(dir);
    expect(rows(dir)).toHaveLength(1);
    validateMixRecord(row, "task row");
    expect(row).toMatchObject({ task: "perceptual-decision-making", model: "mixture", a0: 0.3, units: 12, conditionLabel: "tauI=50,units=12" });
    expect(readFileSync(join(dir, "report.md"), "utf8")).toMatch(/\| tauI=50,units=12 \| mixture a0=0\.3 \| 1 \|/);
    const free = await bench(["task", "perceptual-decision-making", ...TINY, "--model", "free", "--out", dir, "--quiet"]);
    expect(free.status, free.stderr).toBe(0);
    expect(rows(dir).map((x) => x.model).sort()).toEqual(["free", "mixture"]); // the results of both invocations, in one folder
    // The folder is a mix folder: report (and status, worker, the executors) work on it.
    const rep = await bench(["report", dir]);
    expect(rep.status, rep.stderr).toBe(0);
    expect(readFileSync(join(dir, "report.md"), "utf8")).toMatch(/\| base \| free \| 1 \| — \|/);
    const ce = await bench(["task", "perceptual-decision-making", ...TINY, "--model", "free", "--loss", "cross-entropy", "--out", dir, "--quiet"]);
    expect(ce.status, ce.stderr).toBe(0);
    const ceRow = rows(dir).find((x) => x.conditionLabel === "loss=ce")!;
    expect(ceRow).toMatchObject({ model: "free", condition: { loss: "cross-entropy" } });
    expect(ceRow.loss).not.toBe(rows(dir).find((x) => x.model === "free" && x.conditionLabel === "base")!.loss);
  });

  it("bad input (no or an unknown task, dt <= 0, a0 outside (0, 1), an unknown model) is one line and exit status 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dale-bench-task-bad-"));
    const cases: Array<[string[], RegExp]> = [
      [["task"], /^dale-bench: task takes one task name, one of perceptual-decision-making, .*; got none\n$/],
      [["task", "chess"], /^dale-bench: unknown task "chess"; expected one of perceptual-decision-making, /],
      [["task", "perceptual-decision-making", "--dt", "0"], /^dale-bench: --dt must be a finite number > 0; got "0"\n$/],
      [["task", "perceptual-decision-making", "--a0", "1"], /^dale-bench: --a0 must be in \(0, 1\)/],
      [["task", "perceptual-decision-making", "--model", "hebbian"], /^dale-bench: unknown --model "hebbian"; expected one of dale, free, mixture\n$/],
      [["task", "perceptual-decision-making", "--loss", "hinge"], /^dale-bench: unknown --loss "hinge"; expected one of mse, cross-entropy\n$/],
    ];
    for (const [args, pattern] of cases) {
      const r = await bench([...args, "--out", join(dir, "out")]);
      expect(r.status, `${args.join(" ")}: ${r.stderr}`).toBe(2);
      expect(r.stderr.split("\n").filter(Boolean), args.join(" ")).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    }
    expect(existsSync(join(dir, "out", "results.jsonl"))).toBe(false);
  });
});
