/** dale-bench mix as a user meets it: the built CLI in a child process, tiny profile. */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bench, benchKilledAt, deterministic, rows } from "../../test-fixtures/run-cli.js";
import { validateMixRecord } from "./mix-record.js";

const TINY = ["--profile", "tiny", "--backend", "wasm"];

describe("dale-bench mix", () => {
  it("mix --profile tiny trains dale, free and the mixture from every a0 on a trial task and seqMNIST; records validate, a stays in [0, 1]; a rerun skips every run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dale-bench-mix-"));
    const r = await bench(["mix", ...TINY, "--tasks", "perceptual-decision-making,seqmnist", "--out", dir]);
    expect(r.status, r.stderr).toBe(0);
    const rs = rows(dir);
    expect(rs).toHaveLength(10);
    rs.forEach((x, i) => validateMixRecord(x, `row ${i}`));
    expect(rs.map((x) => `${x.task} ${x.model} ${x.a0}`)).toEqual(
      ["perceptual-decision-making", "seqmnist"].flatMap((t) => [`${t} dale null`, `${t} free null`, `${t} mixture 0.1`, `${t} mixture 0.5`, `${t} mixture 0.9`]),
    );
    for (const x of rs.filter((x) => x.model === "mixture")) {
      const curve = x.aCurve as Array<{ update: number; a: number }>;
      expect(curve[0]).toEqual({ update: 0, a: expect.closeTo(x.a0 as number, 5) });
      expect(curve.at(-1)!.update).toBe(x.updates);
      for (const p of curve) expect(p.a >= 0 && p.a <= 1).toBe(true);
      expect(x.aFinal).toBeCloseTo(curve.at(-1)!.a, 6);
    }
    for (const x of rs.filter((x) => x.task === "seqmnist")) expect(typeof x.testError).toBe("number");
    for (const x of rs.filter((x) => x.task !== "seqmnist")) {
      expect(typeof x.accuracy).toBe("number");
      expect((x.psychometric as unknown[]).length).toBe(9); // the 9 signed coherences of the tiny test set
    }
    const report = readFileSync(join(dir, "report.md"), "utf8");
    expect(report).toMatch(/\*\*Perceptual decision making\*\*: a (goes|moves)/);
    expect(report).toMatch(/\| base \| mixture a0=0\.5 \| 1 \| 0\.\d{3} \| 0\.\d{3} \|/);
    for (const f of ["a-perceptual-decision-making.svg", "performance-seqmnist.svg", "psychometric-perceptual-decision-making.svg"]) expect(existsSync(join(dir, f)), f).toBe(true);

    const again = await bench(["mix", ...TINY, "--tasks", "perceptual-decision-making,seqmnist", "--out", dir, "--json"]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/10 runs planned, 10 already in .*results\.jsonl, 0 to run/);
    expect(again.stdout).not.toMatch(/^\{/m); // --json prints finished runs only
    expect(rows(dir)).toEqual(rs);
  });

  it("killed after a checkpoint and rerun, the run resumes and ends with the records of an uninterrupted run; --json prints one object per finished run", async () => {
    const base = mkdtempSync(join(tmpdir(), "dale-bench-mix-kill-"));
    const args = ["mix", ...TINY, "--tasks", "perceptual-decision-making", "--models", "free,mixture", "--a0", "0.5", "--steps", "8"];
    const reference = join(base, "reference");
    const r = await bench([...args, "--out", reference, "--json", "--quiet"]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.model)).toEqual(["free", "mixture"]);
    for (const l of lines) expect(Object.keys(l)).toEqual(expect.arrayContaining(["task", "model", "seed", "a0", "aFinal", "accuracy", "loss"]));

    const killed = join(base, "killed");
    const out = await benchKilledAt([...args, "--out", killed], /mixture a0=0\.5 seed 0[\s\S]*checkpoint saved after epoch 2/);
    expect(out).toMatch(/free seed 0[\s\S]*final: accuracy/);
    const rerun = await bench([...args, "--out", killed]);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(/2 runs planned, 1 already in .*, 1 to run/);
    expect(rerun.stdout).toMatch(/resumes after epoch [234] from its checkpoint/);
    expect(rows(killed).map(deterministic)).toEqual(rows(reference).map(deterministic));
  });

  it("bad input (a0 outside (0, 1), an unknown task, dt <= 0, dt > tau) is one line and exit status 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dale-bench-mix-bad-"));
    const cases: Array<[string[], RegExp]> = [
      [["mix", "--a0", "1.5"], /^dale-bench: --a0 must be in \(0, 1\) .*; got "1\.5"\n$/],
      [["mix", "--a0", "0.5,-0.1"], /^dale-bench: --a0 must be in \(0, 1\) .*; got "-0\.1"\n$/],
      [["mix", "--tasks", "perceptual-decision-making,chess"], /^dale-bench: unknown --tasks entry "chess"; expected one of perceptual-decision-making, /],
      [["mix", "--dt", "0"], /^dale-bench: --dt must be a finite number > 0; got "0"\n$/],
      [["mix", "--dt", "-10"], /^dale-bench: --dt must be a finite number > 0; got "-10"\n$/],
      [["mix", "--dt", "150"], /^dale-bench: --dt = 150 ms must be <= both time constants/],
      [["mix", "--sweep", "a0=0.5,2"], /^dale-bench: --sweep a0 must be in \(0, 1\)/],
      [["mix", "--i-to-i", "1.5"], /^dale-bench: --i-to-i must be a density in \[0, 1\]; got "1\.5"\n$/],
      [["mix", "--profile", "huge"], /^dale-bench: unknown --profile "huge"; expected one of tiny, smoke, quick, paper\n$/],
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
