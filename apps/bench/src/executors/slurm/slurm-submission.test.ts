import { appendFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appendSubmission, readSubmissions, submissionsPath } from "./slurm-submission.js";

describe("appendSubmission(out, s) / readSubmissions(out)", () => {
  it("round-trips submissions oldest first, skipping a line cut short; [] without the file", async () => {
    const out = await mkdtemp(join(tmpdir(), "dale-subs-"));
    try {
      expect(await readSubmissions(out)).toEqual([]);
      const a = { submissionId: "a", jobId: "1", mergeJobId: "2", runIds: ["x"], submittedAt: "2026-01-01T00:00:00.000Z", script: "/a/job.sbatch" };
      const b = { ...a, submissionId: "b", jobId: "3", mergeJobId: null };
      await appendSubmission(out, a);
      await appendFile(submissionsPath(out), '{"submissionId":"cut');
      await appendFile(submissionsPath(out), "\n");
      await appendSubmission(out, b);
      expect(await readSubmissions(out)).toEqual([a, b]);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
