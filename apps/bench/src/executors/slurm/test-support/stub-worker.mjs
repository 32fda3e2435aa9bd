#!/usr/bin/env node
// A stand-in for `dale-bench worker` / `dale-bench report` in the Slurm tests, with the same
// arguments and effects as the executor contract (../../executor.ts):
//   node stub-worker.mjs worker <out> --run-id <id>   does STUB_STEPS steps of STUB_STEP_MS ms,
//     writing <out>/checkpoints/<shard>.json ({step}) after each (so a requeued or resubmitted run
//     resumes from there), appends one line per attempt to <out>/attempts/<shard>.log, and at the
//     end writes <out>/shards/<shard>.json ({runId, steps, resumedFrom, attempt}) atomically.
//   node stub-worker.mjs report <out>   writes <out>/results.jsonl from the shards present and
//     appends a line to <out>/merges.log.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Must equal shardName in ../../executor.ts (the e2e test finds the shards by that function). */
function shardName(runId) {
  let h = 0x811c9dc5;
  for (let i = 0; i < runId.length; i++) {
    h ^= runId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${runId.replace(/[^A-Za-z0-9._=-]+/g, "_")}.${h.toString(16).padStart(8, "0")}`;
}

function writeAtomic(path, text) {
  writeFileSync(`${path}.tmp-${process.pid}`, text);
  renameSync(`${path}.tmp-${process.pid}`, path);
}

const [command, out, flag, runId] = process.argv.slice(2);
if (command === "report" && out) {
  const dir = join(out, "shards");
  const shards = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")).sort() : [];
  const lines = shards.map((f) => JSON.stringify(JSON.parse(readFileSync(join(dir, f), "utf8"))));
  writeAtomic(join(out, "results.jsonl"), lines.map((l) => `${l}\n`).join(""));
  appendFileSync(join(out, "merges.log"), `${new Date().toISOString()} ${shards.length} shard(s) job ${process.env.SLURM_JOB_ID ?? "-"}\n`);
  process.exit(0);
}
if (command !== "worker" || !out || flag !== "--run-id" || runId === undefined) {
  process.stderr.write(`stub-worker: usage: worker <out> --run-id <id> | report <out>; got ${JSON.stringify(process.argv.slice(2))}\n`);
  process.exit(2);
}
const name = shardName(runId);
const steps = Number(process.env.STUB_STEPS ?? 3);
const stepMs = Number(process.env.STUB_STEP_MS ?? 200);
for (const sub of ["shards", "checkpoints", "attempts"]) mkdirSync(join(out, sub), { recursive: true });
const checkpoint = join(out, "checkpoints", `${name}.json`);
const resumedFrom = existsSync(checkpoint) ? JSON.parse(readFileSync(checkpoint, "utf8")).step : 0;
const attempt = `${process.env.SLURM_JOB_ID ?? "-"} restart=${process.env.SLURM_RESTART_COUNT ?? 0} from=${resumedFrom} threads=${process.env.OPENBLAS_NUM_THREADS ?? "-"}`;
appendFileSync(join(out, "attempts", `${name}.log`), `${attempt}\n`);
for (let step = resumedFrom; step < steps; step++) {
  await new Promise((r) => setTimeout(r, stepMs));
  writeAtomic(checkpoint, JSON.stringify({ step: step + 1 }));
}
writeAtomic(join(out, "shards", `${name}.json`), JSON.stringify({ runId, steps, resumedFrom, attempt }));
process.exit(0);
