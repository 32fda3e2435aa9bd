#!/usr/bin/env node
// Profiles one training update of each of the demo's networks in headless Chromium, on wasm and on
// WebGL: builds dist/ if it is missing, serves it, opens dist/profile.html?backend=B for each
// backend B (src/profile-page.ts, src/profile-training.ts: the demo's own startRun) and prints
// updates per second (median of the repetitions after warm-up) with host read-backs, tensors
// created, host uploads and kernels per update, and the WebGL renderer. Writes the numbers to
// e2e-artifacts/profile-step.json.
//
// Environment: PROFILE_BACKENDS (default "wasm,webgl"), PROFILE_MODELS (default
// "mlp,columnei,dann"), PROFILE_WARMUP (20), PROFILE_STEPS (updates per repetition, 50),
// PROFILE_REPS (5), PROFILE_KERNELS=1 (also list each network's kernels by count),
// PROFILE_SETTINGS (JSON overrides of the demo's settings), PROFILE_ROUNDS (1; the rates of all
// rounds are pooled), PROFILE_BASELINE (another built dist/ with profile.html, e.g. of the commit
// before a change: profiled alternately with this one, round by round, on the same browser, so
// both see the same machine load), PROFILE_OUT (the JSON file), PROFILE_REBUILD=1 (build even if dist exists), CHROMIUM,
// E2E_CHROMIUM_ARGS (extra flags).
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { DEMO_ROOT, DIST, ensureBuilt, launchChromium, serveStatic } from "./browser-harness.mjs";

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const list = (v, d) => (v ?? d).split(",").map((s) => s.trim()).filter(Boolean);
const BACKENDS = list(process.env.PROFILE_BACKENDS, "wasm,webgl");
const MODELS = list(process.env.PROFILE_MODELS, "mlp,columnei,dann");
const options = {
  warmup: Number(process.env.PROFILE_WARMUP ?? 20),
  steps: Number(process.env.PROFILE_STEPS ?? 50),
  repetitions: Number(process.env.PROFILE_REPS ?? 5),
  // Overrides of the demo's DEFAULT_SETTINGS (src/training.ts), e.g. '{"checkEvery":10}', for experiments.
  settings: process.env.PROFILE_SETTINGS ? JSON.parse(process.env.PROFILE_SETTINGS) : {},
};
const OUT = process.env.PROFILE_OUT ?? join(DEMO_ROOT, "e2e-artifacts", "profile-step.json");

const BASELINE = process.env.PROFILE_BASELINE ? resolve(process.env.PROFILE_BASELINE) : null;
const ROUNDS = Number(process.env.PROFILE_ROUNDS ?? 1);
if (!ensureBuilt({ rebuild: process.env.PROFILE_REBUILD === "1", log: (m) => console.log(`profile: ${m}`) })) process.exit(1);
if (BASELINE && !existsSync(join(BASELINE, "profile.html"))) {
  console.log(`profile: PROFILE_BASELINE ${BASELINE} has no profile.html; expected a dist/ built with scripts/profile-step.mjs's page`);
  process.exit(1);
}
// Builds to profile: the baseline first (when given), then this checkout's dist/, alternating per round.
const builds = [...(BASELINE ? [{ name: "baseline", dir: BASELINE }] : []), { name: "current", dir: DIST }];
for (const b of builds) b.server = await serveStatic(b.dir);
const browser = await launchChromium();
const report = { chromium: browser.version, chromiumArgs: browser.args, options, rounds: ROUNDS, builds: builds.map((b) => ({ name: b.name, dir: b.dir })), results: {} };
let failed = false;

/** Profiles `kinds` on one build and backend in a fresh page; returns the page's TrainingProfile list, or { error }. */
async function profileOnce(page, build, backend, kinds) {
  await page.goto(`${build.server.base}profile.html?backend=${encodeURIComponent(backend)}`, { waitUntil: "load" });
  await page.waitForFunction(() => window.__profile && (window.__profile.ready || window.__profile.error), null, { timeout: 60_000 });
  const info = await page.evaluate(() => ({ error: window.__profile.error, backend: window.__profile.backend }));
  if (info.error) return { error: info.error };
  const networks = await page.evaluate(([m, o]) => window.__profile.run(m, o), [kinds, options]);
  return { detail: info.backend.detail, networks };
}

try {
  const page = browser.page;
  page.setDefaultTimeout(0);
  page.on("pageerror", (e) => console.log(`profile: page error: ${e}`));
  // With a baseline, the builds alternate network by network (a fresh page each), so that both
  // see the same machine load; without one, each backend's page profiles every network in turn.
  const groups = BASELINE ? MODELS.map((m) => [m]) : [MODELS];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const backend of BACKENDS) {
      for (const kinds of groups) {
        for (const build of builds) {
          const key = `${build.name} ${backend}`;
          if (report.results[key]?.error) continue;
          const t0 = performance.now();
          const r = await profileOnce(page, build, backend, kinds);
          if (r.error) {
            console.log(`profile: ${key}: ${r.error}`);
            report.results[key] = { build: build.name, backend, error: r.error };
            failed = true;
            continue;
          }
          console.log(`profile: round ${round}/${ROUNDS}, ${build.name}, ${backend}: ${r.networks.map((n) => `${n.kind} ${n.updatesPerSecond.toFixed(1)}`).join(", ")} updates/s (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
          const entry = (report.results[key] ??= { build: build.name, backend, detail: r.detail, networks: [] });
          // Rates pool over the rounds; counts and kernels are the same every round (the last is kept).
          for (const n of r.networks) {
            const i = entry.networks.findIndex((p) => p.kind === n.kind);
            const rates = [...(i >= 0 ? entry.networks[i].repetitionUpdatesPerSecond : []), ...n.repetitionUpdatesPerSecond];
            const training = [...(i >= 0 ? entry.networks[i].updateMs.training : []), ...n.updateMs.training];
            const evaluating = [...(i >= 0 ? entry.networks[i].updateMs.evaluating : []), ...n.updateMs.evaluating];
            const merged = {
              ...n,
              repetitionUpdatesPerSecond: rates,
              updatesPerSecond: median(rates),
              updateMs: { training, evaluating },
              medianUpdateMs: { training: median(training), evaluating: evaluating.length > 0 ? median(evaluating) : null },
            };
            if (i >= 0) entry.networks[i] = merged;
            else entry.networks.push(merged);
          }
        }
      }
    }
  }
} catch (e) {
  console.log(`profile: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  failed = true;
} finally {
  await browser.close();
  for (const b of builds) b.server.close();
}

// ---------- table ----------
const f = (x, d = 1) => (x === undefined || x === null ? "–" : Number(x).toFixed(d));
const rows = [["network", "backend", ...(BASELINE ? ["build"] : []), "updates/s", "(q1–q3)", "ms", "eval ms", "read-backs", "tensors", "uploads", "kernels", "+eval", "draws", "leaked"]];
const quartile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
for (const backend of BACKENDS) {
  for (const kind of MODELS) {
    for (const build of builds) {
      const n = report.results[`${build.name} ${backend}`]?.networks?.find((x) => x.kind === kind);
      if (!n) continue;
      const rates = n.repetitionUpdatesPerSecond;
      rows.push([kind, backend, ...(BASELINE ? [build.name] : []), f(n.updatesPerSecond), `${f(quartile(rates, 0.25))}–${f(quartile(rates, 0.75))}`, f(n.medianUpdateMs.training, 2), f(n.medianUpdateMs.evaluating), f(n.perUpdate.readBacks, 2), f(n.perUpdate.tensorsCreated), f(n.perUpdate.hostTensors, 2), String(n.kernelsPerUpdate), String(n.evaluationKernels ?? "–"), backend === "webgl" ? f(n.perUpdate.draws) : "–", String(n.leakedTensors)]);
    }
  }
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
const textColumns = BASELINE ? 3 : 2;
console.log("");
console.log(`${report.chromium}; per network ${options.warmup} warm-up updates, then ${options.repetitions} × ${options.steps} timed updates${ROUNDS > 1 ? ` in each of ${ROUNDS} rounds` : ""}; updates/s = median (quartiles) over the repetitions${Object.keys(options.settings).length ? `; settings ${JSON.stringify(options.settings)}` : ""}`);
for (const r of Object.values(report.results)) if (r.detail && r.build === "current") console.log(`${r.backend}: ${r.detail}`);
if (BASELINE) console.log(`baseline: ${BASELINE}; current: ${DIST}`);
console.log("updates/s = wall clock, yields between updates included; ms / eval ms = median time of one update without / with the evaluation of the 1,000 test images, from its start to its yield (work a read-back waits for is paid where the read is)");
console.log("per update: read-backs = dataSync/data/arraySync/array calls, tensors = tensors created, uploads = tensors made from host values (means over the timed updates, evaluations every 25 included); kernels = tf.profile of one update without evaluation, +eval = extra kernels of an evaluating update; draws = WebGL draw calls per update (every shader program, tfjs's packing ones included)");
for (const row of rows) console.log(row.map((c, i) => (i < textColumns ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  "));
if (process.env.PROFILE_KERNELS === "1") {
  for (const r of Object.values(report.results)) {
    for (const n of r.networks ?? []) {
      const top = Object.entries(n.kernelsByName).sort((a, b) => b[1] - a[1]);
      console.log(`${n.kind} on ${r.backend}${BASELINE ? ` (${r.build})` : ""}: ${top.map(([k, c]) => `${k} ${c}`).join(", ")}`);
    }
  }
}
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);
console.log(`profile: wrote ${OUT}`);
process.exit(failed ? 1 : 0);
