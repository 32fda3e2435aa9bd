import { describe, expect, it } from "vitest";
import type { RnnRecord } from "../recurrent/rnn-record.js";
import { rnnFindings, worseVerdict } from "./rnn-findings.js";

const base = { schema: 1 as const, experiment: "rnn" as const, task: "seqmnist" as const, profile: "paper", learningRate: 0.01, clipping: null, epochs: 30, batchSize: 32, metric: "error rate", trainErrorPerEpoch: [0.1], evalCurve: [], finalTrainError: 0.01, wallSeconds: 1, backend: "cpu", versions: {}, finishedAt: "" };

function run(model: string, seed: number, error: number | null, diverged = false): RnnRecord {
  return { ...base, runId: `rnn/seqmnist/${model}/paper/seed=${seed}`, model, seed, finalEvalError: error, ...(diverged ? { diverged: { update: 100, reason: "non-finite loss" } } : {}) } as RnnRecord;
}

const seeds = [0, 1, 2, 3, 4];
/** Fig. 2 B's picture: RNN and DANN alike at ≈ 1.5%, ColEI at ≈ 4% and spread, ColEI unclipped worse still with 2 of 5 diverged. */
function figure2b(): RnnRecord[] {
  return [
    ...seeds.map((s) => run("rnn", s, 0.014 + 0.001 * s)),
    ...seeds.map((s) => run("dann", s, 0.0145 + 0.001 * ((s * 3) % 5))),
    ...seeds.map((s) => run("colei", s, 0.03 + 0.01 * s)),
    ...seeds.map((s) => (s < 2 ? run("colei-noclip", s, 0.3, true) : run("colei-noclip", s, 0.2 + 0.3 * s))),
  ];
}

describe("rnnFindings", () => {
  it("finds each of the paper's claims when the runs show them", () => {
    const lines = rnnFindings("seqmnist", figure2b());
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^- ColEI learns worse than the standard RNN .*: \*\*holds\*\* \(U = 25 of 25, one-sided rank-sum p = 0.004, 5 and 5 runs\)/);
    expect(lines[1]).toMatch(/worse than DANN: \*\*holds\*\*/);
    expect(lines[2]).toMatch(/DANN learns as well as the standard RNN: \*\*consistent\*\*: no difference detected \(two-sided rank-sum p = [0-9.]+, 5 and 5 runs; DANN − RNN \+0\.05 points \(Welch 95% CI ± 0\.\d\d points\)\)/);
    expect(lines[3]).toMatch(/than the RNN: \*\*holds\*\* \(std ratio 10\.0, p < 0\.001\); than DANN: \*\*holds\*\*/); // scipy: 2 f.sf(100, 4, 4) = 0.00058
    expect(lines[4]).toMatch(/2 of 5 diverged\): \*\*holds\*\*/);
  });

  it("counts a diverged run as the worst outcome, not a missing one", () => {
    // Unclipped: 3 finite runs between clipped ColEI's 4th and 5th, 2 diverged. Without the diverged runs: U = 12 of 15, p = 0.125 (not shown).
    const rs = [...seeds.map((s) => run("colei", s, 0.03 + 0.01 * s)), ...seeds.map((s) => (s < 3 ? run("colei-noclip", s, 0.065 + 0.001 * s) : run("colei-noclip", s, null, true)))];
    const line = rnnFindings("seqmnist", rs).find((l) => l.includes("Without gradient clipping"))!;
    expect(line).toContain("2 of 5 diverged"); // seeds 3, 4
    expect(line).toMatch(/\*\*holds\*\* \(U = 22 of 25, one-sided rank-sum p = 0.028/);
  });

  it("says when the opposite holds and when a DANN gap is detected", () => {
    const rs = [...seeds.map((s) => run("rnn", s, 0.05 + 0.001 * s)), ...seeds.map((s) => run("colei", s, 0.02 + 0.001 * s)), ...seeds.map((s) => run("dann", s, 0.03 + 0.001 * s))];
    const lines = rnnFindings("seqmnist", rs);
    expect(lines[0]).toMatch(/\*\*the opposite holds\*\*/);
    expect(lines[2]).toMatch(/\*\*not shown\*\*: DANN ends better .*DANN − RNN -2\.00 points/);
  });

  it("reports the adding problem's MSE with 4 decimals and leaves out claims whose models did not run", () => {
    const rs = [...seeds.map((s) => ({ ...run("rnn", s, 0.002 + 0.0001 * s), task: "adding" as const })), ...seeds.map((s) => ({ ...run("dann", s, 0.0021 + 0.0001 * s), task: "adding" as const }))];
    const lines = rnnFindings("adding", rs);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/DANN − RNN \+0\.0001 \(Welch 95% CI ± 0\.0002\)/);
  });

  it("gives no test with fewer than 2 runs a side", () => {
    expect(worseVerdict([0.1], [0.01, 0.02])).toBe("no test (1 and 2 runs; at least 2 each needed)");
  });
});
