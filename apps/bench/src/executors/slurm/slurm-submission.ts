import { appendFile, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** One submission of a sweep's runs, as a line of `<out>/slurm/submissions.jsonl`. */
export interface SlurmSubmission {
  /** The submission's folder name under `<out>/slurm/` (sortable: UTC time plus a random suffix). */
  readonly submissionId: string;
  /** The array job's id (task i runs runIds[i]). */
  readonly jobId: string;
  /** The merge job's id (afterany the array job); null when its submission failed. */
  readonly mergeJobId: string | null;
  /** The run ids, in array-task order. */
  readonly runIds: readonly string[];
  /** ISO time of the submission. */
  readonly submittedAt: string;
  /** Absolute path of the array job script (job.sbatch). */
  readonly script: string;
}

/** `<out>/slurm/submissions.jsonl`. */
export function submissionsPath(out: string): string {
  return join(out, "slurm", "submissions.jsonl");
}

/** Appends one submission to `<out>/slurm/submissions.jsonl` (one JSON object a line). */
export async function appendSubmission(out: string, submission: SlurmSubmission): Promise<void> {
  await mkdir(join(out, "slurm"), { recursive: true });
  await appendFile(submissionsPath(out), `${JSON.stringify(submission)}\n`);
}

/**
 * The submissions recorded in `<out>/slurm/submissions.jsonl`, oldest first; [] when there is no
 * such file. Lines that do not parse (a write cut short) are skipped.
 */
export async function readSubmissions(out: string): Promise<SlurmSubmission[]> {
  let text: string;
  try {
    text = await readFile(submissionsPath(out), "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const submissions: SlurmSubmission[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const s = JSON.parse(line) as SlurmSubmission;
      if (typeof s.jobId === "string" && Array.isArray(s.runIds)) submissions.push(s);
    } catch {
      // a partial line
    }
  }
  return submissions;
}
