/** dale-bench fisher as a user meets it: the built CLI in a child process, tiny profile. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bench, benchKilledAt, deterministic, rows } from "../../test-fixtures/run-cli.js";
import { validateFisherRecord } from "./fisher-record.js";

// Three epochs of 8 updates each, so that a kill after the first checkpoint lands mid-run.
const TINY = ["fisher", "--profile", "tiny", "--epochs", "3", "--model", "dann"];

describe("dale-bench fisher", () => {
  it("fisher --profile tiny trains with the Fisher-corrected gradients, records per-layer alignment curves and epoch means, reports Fig. 2, and a rerun skips it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dale-bench-fisher-"));
    const r = await bench([...TINY, "--align-every", "2", "--out", dir]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/epoch 1: train error [\d.]+%, mean loss [\d.]+, mean cos\(Fisher, uncorrected \/ corrected\) L1 -?0\.\d{3}\/-?0\.\d{3}, L2 /);
    const [rec] = rows(dir).map((x, i) => validateFisherRecord(x, `row ${i}`));
    expect(rec).toMatchObject({ runId: "fisher/mnist/dann/tiny+epochs=3+align-every=2/seed=0", model: "dann", epochs: 3, updatesPerEpoch: 8, updates: 24, alignEvery: 2, window: 4, curveEvery: 2 });
    expect(rec!.layers.map((l) => [l.layer, l.inputs, l.units, l.inhibitory])).toEqual([[1, 784, 32, 4], [2, 32, 32, 4], [3, 32, 32, 4], [4, 32, 10, 1]]);
    for (const l of rec!.layers) {
      expect(l.curve.map((p) => p.update)).toEqual(Array.from({ length: 12 }, (_, i) => 2 * (i + 1)));
      expect(l.epochMeans.map((m) => [m.epoch, m.count])).toEqual([[1, 4], [2, 4], [3, 4]]);
    }
    expect(rec!.evalCurve.map((p) => p.update)).toEqual([0, 4, 8, 12, 16, 20, 24]);
    const report = readFileSync(join(dir, "report.md"), "utf8");
    expect(report).toMatch(/^\*\*(The heuristically corrected gradient was more aligned|The paper's claim \(Fig\. 2: corrected more aligned).*\*\*$/m);
    expect(report).toMatch(/\| layer \| epoch 1: uncorrected \| epoch 1: corrected \| epoch 2: uncorrected \| epoch 2: corrected \| epoch 3: uncorrected \| epoch 3: corrected \|/);
    expect(report).toMatch(/Test error \(200 test images\) after 3 epoch\(s\): \d+\.\d\d%/);
    expect(existsSync(join(dir, "fisher-alignment-dann-tiny+epochs=3+align-every=2.svg"))).toBe(true);
    expect(readdirSync(join(dir, "checkpoints"))).toEqual([]);
    const again = await bench([...TINY, "--align-every", "2", "--out", dir]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/1 runs planned, 1 already in .*, 0 to run/);
  });

  it("killed after a checkpoint and rerun, the run resumes with the Fisher state and the alignment series and ends with the record of an uninterrupted run; without its series it starts over", async () => {
    const base = mkdtempSync(join(tmpdir(), "dale-bench-fisher-kill-"));
    const reference = join(base, "reference");
    const r = await bench([...TINY, "--out", reference, "--quiet"]);
    expect(r.status, r.stderr).toBe(0);

    const killed = join(base, "killed");
    await benchKilledAt([...TINY, "--out", killed], /checkpoint saved after epoch 1/);
    const files = readdirSync(join(killed, "checkpoints"));
    expect(files.some((f) => f.endsWith(".alignment.json"))).toBe(true);
    const rerun = await bench([...TINY, "--out", killed]);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stdout + rerun.stderr).toMatch(/resumes after epoch [12] from its checkpoint/);
    expect(rerun.stdout).not.toMatch(/cannot continue the Fisher run exactly/);
    expect(rows(killed).map(deterministic)).toEqual(rows(reference).map(deterministic));

    const lost = join(base, "lost-series");
    await benchKilledAt([...TINY, "--out", lost], /checkpoint saved after epoch 1/);
    for (const f of readdirSync(join(lost, "checkpoints"))) if (f.endsWith(".alignment.json")) rmSync(join(lost, "checkpoints", f));
    const restart = await bench([...TINY, "--out", lost]);
    expect(restart.status, restart.stderr).toBe(0);
    expect(restart.stdout + restart.stderr).toMatch(/cannot continue the Fisher run exactly \(its alignment series .* cannot be used: it is missing\); it starts over from its first epoch/);
    expect(rows(lost).map(deterministic)).toEqual(rows(reference).map(deterministic));
  });

  it("bad input (an unknown profile or model, --align-every 0, --lr <= 0, --seeds not a number) is one line and exit status 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dale-bench-fisher-bad-"));
    const cases: Array<[string[], RegExp]> = [
      [["fisher", "--profile", "huge"], /^dale-bench: unknown --profile "huge"; expected one of tiny, smoke, quick, paper\n$/],
      [["fisher", "--model", "mlp"], /^dale-bench: unknown --model "mlp"; expected one of dann, dann-1i\n$/],
      [["fisher", "--align-every", "0"], /^dale-bench: --align-every must be a positive integer; got "0"\n$/],
      [["fisher", "--lr", "-3"], /^dale-bench: --lr must be a finite number > 0; got "-3"\n$/],
      [["fisher", "--lr", "abc"], /^dale-bench: --lr must be a finite number > 0; got "abc"\n$/],
      [["fisher", "--seeds", "two"], /^dale-bench: --seeds must be a positive integer; got "two"\n$/],
    ];
    for (const [args, pattern] of cases) {
      const res = await bench([...args, "--out", join(dir, "out")]);
      expect(res.status, `${args.join(" ")}: ${res.stderr}`).toBe(2);
      expect(res.stderr.split("\n").filter(Boolean), args.join(" ")).toHaveLength(1);
      expect(res.stderr).toMatch(pattern);
    }
    expect(existsSync(join(dir, "out", "results.jsonl"))).toBe(false);
  });
});
