#!/usr/bin/env node
// End-to-end test of the built demo in Debian's headless Chromium, driven by playwright-core.
// Builds dist/ if it is missing, serves it on 127.0.0.1 (free port), trains the three networks for
// STEPS updates, checks that the DANN's test error fell, measures steps per second, checks the
// spectra view and the buttons, trains the learnable Dale / free mixture RNN for CT_STEPS updates
// (a recorded and in [0, 1], the loss fell, test accuracy above chance, the psychometric curve
// rises, Pause), trains the convolutional recurrent E/I network for CONV_STEPS updates (accuracy
// above chance, gOSI of every E and I channel finite and in [0, 1], no long task, Pause), saves
// screenshots to e2e-artifacts/, and ends with "e2e: N passed, M failed".
//
// Environment: CHROMIUM (default /usr/bin/chromium), E2E_STEPS (default 150),
// E2E_BACKEND (ask the page for webgl / wasm / cpu first), E2E_DANN_MAX_ERROR (default 0.6),
// E2E_CT_STEPS (mixture updates, default 150; 0 skips the mixture checks), E2E_CT_MIN_ACCURACY
// (default 0.7), E2E_CT_SEED (default 3), E2E_CONV_STEPS (conv network updates, default 50; 0 skips
// the conv checks), E2E_CONV_MIN_ACCURACY (default 0.2), E2E_CONV_SEED (default 0),
// E2E_CONV_MAX_TASK_MS (default 500), E2E_TIMEOUT_S (time limit of each training, default 300), E2E_REBUILD=1 (build
// even if dist exists), DEMO_DIST (test another build, e.g. of an earlier commit),
// E2E_CHROMIUM_ARGS (extra flags).
// Serving and launching: scripts/browser-harness.mjs (shared with scripts/profile-step.mjs).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEMO_ROOT, DIST, ensureBuilt, launchChromium, serveStatic } from "./browser-harness.mjs";

const root = DEMO_ROOT;
const dist = DIST;
const artifacts = join(root, "e2e-artifacts");
const STEPS = Number(process.env.E2E_STEPS ?? 150);
const DANN_MAX_ERROR = Number(process.env.E2E_DANN_MAX_ERROR ?? 0.6);
const CT_STEPS = Number(process.env.E2E_CT_STEPS ?? 150);
const CT_MIN_ACCURACY = Number(process.env.E2E_CT_MIN_ACCURACY ?? 0.7);
// Seed 3's untrained network picks choice 1 on every trial (accuracy 0.5, a flat psychometric
// curve), so the accuracy and psychometric checks measure learning (seed 0 starts at 0.775).
const CT_SEED = process.env.E2E_CT_SEED ?? "3";
// The conv network: an evaluation every 25 updates, so CONV_STEPS should be a multiple of 25.
const CONV_STEPS = Number(process.env.E2E_CONV_STEPS ?? 50);
const CONV_MIN_ACCURACY = Number(process.env.E2E_CONV_MIN_ACCURACY ?? 0.2);
const CONV_SEED = process.env.E2E_CONV_SEED ?? "0";
const CONV_MAX_TASK_MS = Number(process.env.E2E_CONV_MAX_TASK_MS ?? 500);
const TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_S ?? 300) * 1000;
const BACKEND = process.env.E2E_BACKEND ?? "";

const t0 = performance.now();
const results = [];
const report = {};
function check(name, ok, detail = "") {
  results.push({ name, ok });
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? ` — ${detail}` : ""}`);
}

// ---------- build and static server ----------
if (!ensureBuilt({ rebuild: process.env.E2E_REBUILD === "1", log: (m) => console.log(`e2e: ${m}`) })) {
  console.log("e2e: 0 passed, 1 failed");
  process.exit(1);
}
const server = await serveStatic(dist);
const base = server.base;
console.log(`e2e: serving ${dist} at ${base}`);

// ---------- browser ----------
let browser;
let exitCode = 0;
try {
  browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
  report.chromium = browser.version;
  report.chromiumArgs = browser.args;
  const page = browser.page;
  const consoleErrors = [];
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  page.on("response", (r) => {
    if (r.status() >= 400) consoleErrors.push(`HTTP ${r.status()} ${r.url()}`);
  });

  // Long tasks (> 50 ms on the main thread), to check that training leaves the page responsive.
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, ms: e.duration });
    }).observe({ type: "longtask", buffered: true });
  });
  const query = new URLSearchParams({ steps: String(STEPS), ...(CT_STEPS > 0 ? { ctSteps: String(CT_STEPS) } : {}), ...(CONV_STEPS > 0 ? { convSteps: String(CONV_STEPS) } : {}), ...(BACKEND ? { backend: BACKEND } : {}) });
  await page.goto(`${base}?${query}`, { waitUntil: "load" });
  await page.waitForFunction(() => window.__demo && (window.__demo.ready || window.__demo.state === "error"), null, { timeout: 60_000 });
  const info = await page.evaluate(() => ({ ...window.__demo, text: document.getElementById("backend").textContent, detail: document.getElementById("backend-detail").textContent, note: document.getElementById("backend-note").hidden ? "" : document.getElementById("backend-note").textContent }));
  report.backend = info.text;
  report.backendDetail = info.detail;
  if (info.note) report.backendNote = info.note;
  check("page loads and shows a tfjs backend", ["webgl", "wasm", "cpu"].includes(info.text), `backend ${info.text} ${info.detail}${info.note ? `; NOTE: ${info.note}` : ""}`);
  const expected = BACKEND || "webgl";
  if (info.text !== expected) console.log(`e2e: NOTE the page fell back from ${expected} to ${info.text}; continuing on ${info.text}`);
  check("the MNIST subset loads (5,000 train / 1,000 test)", info.ready && info.state === "idle", (await page.textContent("#training-status")) ?? "");

  // Spectra at the defaults (n = 100, E:I 9:1): ColEI's NSE is clearly below the standard RNN's, DANN's close to it.
  await page.waitForFunction(() => window.__demo.spectra.dann !== undefined, null, { timeout: 30_000 });
  const sp = await page.evaluate(() => window.__demo.spectra);
  report.spectraDefault = sp;
  check(
    "spectra view: NSE(ColEI) < NSE(standard) - 0.05 and |NSE(DANN) - NSE(standard)| < 0.03 at n = 100, 9:1",
    sp.colei.nse < sp.standard.nse - 0.05 && Math.abs(sp.dann.nse - sp.standard.nse) < 0.03,
    `standard ${sp.standard.nse.toFixed(3)}, ColEI ${sp.colei.nse.toFixed(3)}, DANN ${sp.dann.nse.toFixed(3)}`,
  );

  // Training: start, run STEPS updates of each network (the page pauses itself at ?steps=STEPS).
  const trainStart = performance.now();
  await page.click("#start");
  await page.waitForFunction(() => ["paused", "finished", "error"].includes(window.__demo.state), null, { timeout: TIMEOUT_MS, polling: 500 });
  const trainWall = (performance.now() - trainStart) / 1000;
  const d = await page.evaluate(() => window.__demo);
  const sps = STEPS / trainWall;
  report.training = {
    steps: d.updates,
    wallSeconds: +trainWall.toFixed(2),
    stepsPerSecondPerModel: +sps.toFixed(2),
    pageStepsPerSecond: d.stepsPerSecond && +d.stepsPerSecond.toFixed(2),
    pageSteadyStepsPerSecond: d.steadyStepsPerSecond && +d.steadyStepsPerSecond.toFixed(2),
    slowestStep: d.slowestStep,
    longestTaskAfterWarmupMs: await page.evaluate(() => Math.max(0, ...window.__longTasks.filter((t) => window.__demo.steadySince !== null && t.start > window.__demo.steadySince).map((t) => Math.round(t.ms)))),
    p95StepMs: Object.fromEntries(Object.entries(d.stepMs).map(([k, v]) => [k, +[...v].sort((a, b) => a - b)[Math.floor(v.length * 0.95)].toFixed(1)])),
    medianStepMs: Object.fromEntries(Object.entries(d.stepMs).map(([k, v]) => [k, +[...v].sort((a, b) => a - b)[Math.floor(v.length / 2)].toFixed(1)])),
    testError: Object.fromEntries(Object.entries(d.testError).map(([k, v]) => [k, { initial: v[0]?.error, final: v.at(-1)?.error, points: v.length }])),
    finalLoss: Object.fromEntries(Object.entries(d.loss).map(([k, v]) => [k, v.at(-1)?.loss])),
  };
  check(`training runs ${STEPS} updates of each network and pauses`, d.state === "paused" && d.updates === STEPS, `state ${d.state}, ${d.updates} updates${d.error ? `, error: ${d.error}` : ""}`);
  const dann = d.testError.dann;
  const first = dann[0]?.error, last = dann.at(-1)?.error;
  check(`DANN test error fell (final < initial) and final < ${DANN_MAX_ERROR}`, first !== undefined && last !== undefined && dann.at(-1).update === STEPS && last < first && last < DANN_MAX_ERROR, `initial ${first}, final ${last} at update ${dann.at(-1)?.update}`);
  for (const k of ["mlp", "columnei"]) {
    const c = d.testError[k];
    check(`${k} test error fell`, c.length > 1 && c.at(-1).error < c[0].error, `initial ${c[0]?.error}, final ${c.at(-1)?.error}`);
  }
  console.log(`e2e: ${STEPS} updates of each of 3 networks in ${trainWall.toFixed(1)} s on ${info.text}: ${sps.toFixed(2)} steps/s per model (page clock ${d.stepsPerSecond?.toFixed(2)}, after warm-up ${d.steadyStepsPerSecond?.toFixed(2)})`);

  // The screenshot shows the page paused at STEPS updates.
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, "demo.png"), fullPage: true });

  // Responsiveness: after warm-up no main-thread task is long (WebGL here is software-rendered, so
  // the bound is loose), and a click on Pause takes effect within a second while training.
  const longest = report.training.longestTaskAfterWarmupMs;
  check("no main-thread task longer than 1 s after warm-up (training yields between updates)", longest < 1000, `longest task ${longest} ms; slowest update ${d.slowestStep ? `${d.slowestStep.ms.toFixed(0)} ms (${d.slowestStep.model}, update ${d.slowestStep.update})` : "n/a"}`);
  const box = await page.locator("#pause").boundingBox();
  await page.click("#start"); // resume
  await page.waitForTimeout(1500);
  const clickAt = Date.now();
  // A real mouse click at the button (no Playwright actionability waits): input-to-handler latency.
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction(() => window.__demo.state === "paused", null, { timeout: 10_000, polling: 10 });
  const pauseLatency = Date.now() - clickAt;
  report.pauseClickLatencyMs = pauseLatency;
  check("Pause answers a click within 1 s while training", pauseLatency < 1000, `${pauseLatency} ms`);
  const pausedAt = await page.evaluate(() => window.__demo.updates);
  await page.waitForTimeout(700);
  const stillAt = await page.evaluate(() => window.__demo.updates);
  check("Pause stops training", stillAt === pausedAt && pausedAt > STEPS, `paused at ${pausedAt}, ${stillAt} after 0.7 s`);


  // Spectra react to the controls: 99:1 makes ColEI worse.
  await page.fill("#ratio", "5");
  await page.dispatchEvent("#ratio", "input");
  await page.waitForFunction(() => window.__demo.spectra.colei && window.__demo.spectra.colei.ni === 1, null, { timeout: 30_000 });
  const sp99 = await page.evaluate(() => window.__demo.spectra);
  report.spectra99 = { standard: sp99.standard.nse, colei: sp99.colei.nse, dann: sp99.dann.nse };
  check("moving the E:I ratio to 99:1 lowers ColEI's NSE", sp99.colei.nse < sp.colei.nse, `ColEI NSE ${sp.colei.nse.toFixed(3)} -> ${sp99.colei.nse.toFixed(3)}`);

  // Reset clears the runs and frees their tensors.
  await page.click("#reset");
  await page.waitForFunction(() => window.__demo.state === "idle", null, { timeout: 30_000 });
  const afterReset = await page.evaluate(() => ({ updates: window.__demo.updates, curves: window.__demo.testError.dann.length, status: document.getElementById("training-status").textContent }));
  check("Reset returns to a fresh, idle state", afterReset.updates === 0 && afterReset.curves === 0, afterReset.status);

  // The learnable Dale / free mixture: CT_STEPS updates (the page pauses itself at ?ctSteps=).
  if (CT_STEPS > 0) {
    const ctT0 = performance.now();
    await page.waitForFunction(() => window.__demo.ct.state === "idle", null, { timeout: 30_000 });
    await page.fill("#ct-seed", CT_SEED);
    await page.click("#ct-start");
    await page.waitForFunction(() => ["paused", "finished", "error"].includes(window.__demo.ct.state), null, { timeout: TIMEOUT_MS, polling: 250 });
    const ctWall = (performance.now() - ctT0) / 1000;
    const ct = await page.evaluate(() => window.__demo.ct);
    const ctLongest = await page.evaluate(() => Math.max(0, ...window.__longTasks.filter((t) => window.__demo.ct.steadySince !== null && t.start > window.__demo.ct.steadySince).map((t) => Math.round(t.ms))));
    const aValues = ct.a.map((p) => p.a);
    const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const lossStart = mean(ct.loss.slice(0, 10).map((p) => p.loss));
    const lossEnd = mean(ct.loss.slice(-10).map((p) => p.loss));
    const psy = ct.psychometric;
    const psyStart = ct.psychometricStart;
    report.mixture = {
      updates: ct.updates,
      wallSeconds: +ctWall.toFixed(2),
      updatesPerSecond: ct.updatesPerSecond && +ct.updatesPerSecond.toFixed(2),
      steadyUpdatesPerSecond: ct.steadyUpdatesPerSecond && +ct.steadyUpdatesPerSecond.toFixed(2),
      longestTaskAfterWarmupMs: ctLongest,
      settings: ct.settings,
      a: { initial: aValues[0], final: aValues.at(-1), min: Math.min(...aValues), max: Math.max(...aValues), points: aValues.length },
      loss: { first10: +lossStart.toFixed(5), last10: +lossEnd.toFixed(5) },
      accuracy: ct.evaluations,
      psychometric: psy,
      psychometricStart: psyStart,
      tensors: ct.tensors,
    };
    check(`mixture: trains ${CT_STEPS} updates and pauses`, ct.state === "paused" && ct.updates === CT_STEPS, `state ${ct.state}, ${ct.updates} updates in ${ctWall.toFixed(1)} s${ct.error ? `, error: ${ct.error}` : ""}`);
    check(
      "mixture: a is recorded at update 0 and after every update, stays in [0, 1] and moves",
      ct.a[0]?.update === 0 && ct.a.length === CT_STEPS + 1 && aValues.every((a) => a >= 0 && a <= 1) && Math.max(...aValues) - Math.min(...aValues) > 1e-3,
      `${aValues.length} values, a ${aValues[0]?.toFixed(4)} -> ${aValues.at(-1)?.toFixed(4)} (range ${Math.min(...aValues).toFixed(4)} … ${Math.max(...aValues).toFixed(4)})`,
    );
    check("mixture: the training loss fell (mean of the last 10 updates < 0.6 × the first 10)", ct.loss.length === CT_STEPS && lossEnd < 0.6 * lossStart, `${lossStart.toFixed(4)} -> ${lossEnd.toFixed(4)}`);
    const acc0 = ct.evaluations[0]?.accuracy, acc = ct.evaluations.at(-1)?.accuracy;
    check(
      `mixture: test accuracy at chance (<= 0.55) at update 0 and > ${CT_MIN_ACCURACY} after ${CT_STEPS} updates (seed ${CT_SEED})`,
      ct.settings?.seed === Number(CT_SEED) && acc0 <= 0.55 && ct.evaluations.at(-1)?.update === CT_STEPS && acc > CT_MIN_ACCURACY,
      `accuracy ${ct.evaluations.map((e) => `${e.update}: ${e.accuracy.toFixed(3)}`).join(", ")}`,
    );
    const lo = psy[0], hi = psy.at(-1);
    check(
      "mixture: the psychometric curve rises (P(choice 1) at the largest positive coherence > at the largest negative + 0.5)",
      psy.length === 9 && lo.coherence < 0 && hi.coherence > 0 && hi.pChoice1 > lo.pChoice1 + 0.5,
      `P(choice 1) ${psy.map((p) => `${p.coherence}: ${p.pChoice1.toFixed(2)}`).join(", ")}; at update 0 ${psyStart.map((p) => p.pChoice1.toFixed(2)).join(" ")}`,
    );
    const tensorCounts = ct.tensors.slice(1).map((t) => t.n);
    check("mixture: tf.memory().numTensors is the same at every evaluation after update 0 (no leak)", tensorCounts.length > 1 && tensorCounts.every((n) => n === tensorCounts[0]), ct.tensors.map((t) => `${t.update}: ${t.n}`).join(", "));
    const table = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#ct-results tr[data-row="now"] td')].map((td) => [td.dataset.field, td.textContent])));
    check("mixture: the table shows the updates, a, loss and test accuracy", table.updates === String(CT_STEPS) && Number(table.a) === +aValues.at(-1).toFixed(3) && /%$/.test(table.accuracy) && Number.isFinite(Number(table.loss)), JSON.stringify(table));
    check("mixture: no main-thread task longer than 1 s after warm-up", ctLongest < 1000, `longest task ${ctLongest} ms`);
    console.log(`e2e: mixture ${ct.updates} updates in ${ctWall.toFixed(1)} s on ${info.text}: ${ct.updatesPerSecond?.toFixed(2)} updates/s (after warm-up ${ct.steadyUpdatesPerSecond?.toFixed(2)}); a ${aValues[0]?.toFixed(4)} -> ${aValues.at(-1)?.toFixed(4)}, loss ${lossStart.toFixed(4)} -> ${lossEnd.toFixed(4)}, accuracy ${acc0} -> ${acc}`);
    await page.locator("#ct-mixture").screenshot({ path: join(artifacts, "demo-mixture.png") });

    // Pause answers a real click while training, and stops it.
    const ctBox = await page.locator("#ct-pause").boundingBox();
    await page.click("#ct-start"); // resume
    await page.waitForTimeout(1500);
    const ctClickAt = Date.now();
    await page.mouse.click(ctBox.x + ctBox.width / 2, ctBox.y + ctBox.height / 2);
    await page.waitForFunction(() => window.__demo.ct.state === "paused", null, { timeout: 10_000, polling: 10 });
    const ctPauseLatency = Date.now() - ctClickAt;
    const ctPausedAt = await page.evaluate(() => window.__demo.ct.updates);
    await page.waitForTimeout(700);
    const ctStillAt = await page.evaluate(() => window.__demo.ct.updates);
    report.mixture.pauseClickLatencyMs = ctPauseLatency;
    check("mixture: Pause answers a click within 1 s and stops training", ctPauseLatency < 1000 && ctStillAt === ctPausedAt && ctPausedAt > CT_STEPS, `${ctPauseLatency} ms; paused at ${ctPausedAt}, ${ctStillAt} after 0.7 s`);

    await page.click("#ct-reset");
    await page.waitForFunction(() => window.__demo.ct.state === "idle", null, { timeout: 30_000 });
    const ctReset = await page.evaluate(() => ({ updates: window.__demo.ct.updates, a: window.__demo.ct.a.length, status: document.getElementById("ct-status").textContent }));
    check("mixture: Reset returns to a fresh, idle state", ctReset.updates === 0 && ctReset.a === 0, ctReset.status);
    report.mixture.seconds = +((performance.now() - ctT0) / 1000).toFixed(1);
  }

  // The convolutional recurrent E/I network: CONV_STEPS updates (the page pauses itself at ?convSteps=).
  if (CONV_STEPS > 0) {
    const convT0 = performance.now();
    await page.waitForFunction(() => window.__demo.conv.state === "idle", null, { timeout: 30_000 });
    await page.fill("#conv-seed", CONV_SEED);
    await page.click("#conv-start");
    await page.waitForFunction(() => ["paused", "finished", "error"].includes(window.__demo.conv.state), null, { timeout: TIMEOUT_MS, polling: 250 });
    const convWall = (performance.now() - convT0) / 1000;
    const cv = await page.evaluate(() => window.__demo.conv);
    const convLongest = await page.evaluate(() => Math.max(0, ...window.__longTasks.filter((t) => window.__demo.conv.steadySince !== null && t.start > window.__demo.conv.steadySince).map((t) => Math.round(t.ms))));
    const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const convLossStart = mean(cv.loss.slice(0, 10).map((p) => p.loss));
    const convLossEnd = mean(cv.loss.slice(-10).map((p) => p.loss));
    const first = cv.evaluations[0];
    const last = cv.evaluations.at(-1);
    const means = (e) => Object.fromEntries((e?.populations ?? []).map((p) => [`${p.area}/${p.population}`, p.meanGosi === null ? null : +p.meanGosi.toFixed(4)]));
    const sorted = [...cv.stepMs].sort((a, b) => a - b);
    report.conv = {
      updates: cv.updates,
      wallSeconds: +convWall.toFixed(2),
      updatesPerSecond: cv.updatesPerSecond && +cv.updatesPerSecond.toFixed(2),
      steadyUpdatesPerSecond: cv.steadyUpdatesPerSecond && +cv.steadyUpdatesPerSecond.toFixed(2),
      medianUpdateMs: sorted[Math.floor(sorted.length / 2)],
      longestTaskAfterWarmupMs: convLongest,
      parameters: cv.parameters,
      gratings: cv.gratings,
      settings: cv.settings,
      loss: { first10: +convLossStart.toFixed(4), last10: +convLossEnd.toFixed(4) },
      accuracy: cv.evaluations.map((e) => ({ update: e.update, accuracy: e.accuracy, seconds: +e.seconds.toFixed(2) })),
      meanGosiStart: means(first),
      meanGosi: means(last),
      gosiStart: first?.populations,
      gosi: last?.populations,
      tensors: cv.tensors,
    };
    check(`conv: trains ${CONV_STEPS} updates and pauses`, cv.state === "paused" && cv.updates === CONV_STEPS, `state ${cv.state}, ${cv.updates} updates in ${convWall.toFixed(1)} s${cv.error ? `, error: ${cv.error}` : ""}`);
    check(
      `conv: test accuracy at chance (<= 0.2) at update 0 and > ${CONV_MIN_ACCURACY} after ${CONV_STEPS} updates (seed ${CONV_SEED})`,
      cv.settings?.seed === Number(CONV_SEED) && first?.update === 0 && first.accuracy <= 0.2 && last?.update === CONV_STEPS && last.accuracy > CONV_MIN_ACCURACY,
      `accuracy ${cv.evaluations.map((e) => `${e.update}: ${e.accuracy.toFixed(3)}`).join(", ")}`,
    );
    check("conv: the training loss fell (mean of the last 10 updates < 0.9 × the first 10)", cv.loss.length === CONV_STEPS && convLossEnd < 0.9 * convLossStart, `${convLossStart.toFixed(4)} -> ${convLossEnd.toFixed(4)}`);
    const expected = ["area3/E:8", "area3/I:2", "area4/E:16", "area4/I:4"];
    const gosiOk = cv.evaluations.length >= 2 && cv.evaluations.every((e) =>
      JSON.stringify(e.populations.map((p) => `${p.area}/${p.population}:${p.channels}`)) === JSON.stringify(expected) &&
      e.populations.every((p) => p.gosi.length === p.channels && p.gosi.filter((g) => g === null).length === p.silent && p.gosi.every((g) => g === null || (Number.isFinite(g) && g >= 0 && g <= 1)) && (p.meanGosi === null) === (p.silent === p.channels)));
    const area3 = last?.populations.filter((p) => p.area === "area3") ?? [];
    check(
      "conv: gOSI of every E and I channel of areas 3 and 4 is finite and in [0, 1] (or the channel is silent) at every evaluation, and area 3's E and I means are finite at the end",
      gosiOk && area3.length === 2 && area3.every((p) => p.meanGosi !== null && Number.isFinite(p.meanGosi)),
      `mean gOSI at update 0 ${JSON.stringify(means(first))}; at ${last?.update} ${JSON.stringify(means(last))}; silent at the end ${last?.populations.map((p) => p.silent).join("/")}`,
    );
    const convTensors = cv.tensors.slice(1).map((t) => t.n);
    check("conv: tf.memory().numTensors is the same at every evaluation after update 0 (no leak)", convTensors.length >= 1 && convTensors.every((n) => n === convTensors[0]), cv.tensors.map((t) => `${t.update}: ${t.n}`).join(", "));
    const convTable = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#conv-results tr[data-row="now"] td')].map((td) => [td.dataset.field, td.textContent])));
    check("conv: the table shows the updates, loss, test accuracy and mean gOSI per population", convTable.updates === String(CONV_STEPS) && /%$/.test(convTable.accuracy) && Number.isFinite(Number(convTable.loss)) && /^\d\.\d{3}/.test(convTable["area3-E"] ?? "") && /^\d\.\d{3}/.test(convTable["area3-I"] ?? ""), JSON.stringify(convTable));
    check(`conv: no main-thread task longer than ${CONV_MAX_TASK_MS} ms after warm-up (losses and evaluations read back asynchronously)`, convLongest < CONV_MAX_TASK_MS, `longest task ${convLongest} ms; median update ${report.conv.medianUpdateMs} ms`);
    console.log(`e2e: conv ${cv.updates} updates in ${convWall.toFixed(1)} s on ${info.text}: ${cv.updatesPerSecond?.toFixed(2)} updates/s (after warm-up ${cv.steadyUpdatesPerSecond?.toFixed(2)}); loss ${convLossStart.toFixed(3)} -> ${convLossEnd.toFixed(3)}, accuracy ${first?.accuracy} -> ${last?.accuracy}; mean gOSI ${JSON.stringify(means(first))} -> ${JSON.stringify(means(last))}`);
    await page.locator("#conv-selectivity").screenshot({ path: join(artifacts, "demo-conv.png") });

    // Pause answers a real click while training, and stops it (after the update in flight).
    const convBox = await page.locator("#conv-pause").boundingBox();
    await page.click("#conv-start"); // resume
    await page.waitForTimeout(1500);
    const convClickAt = Date.now();
    await page.mouse.click(convBox.x + convBox.width / 2, convBox.y + convBox.height / 2);
    await page.waitForFunction(() => window.__demo.conv.state === "paused", null, { timeout: 10_000, polling: 10 });
    const convPauseLatency = Date.now() - convClickAt;
    await page.waitForTimeout(1000);
    const convPausedAt = await page.evaluate(() => window.__demo.conv.updates);
    await page.waitForTimeout(1000);
    const convStillAt = await page.evaluate(() => window.__demo.conv.updates);
    report.conv.pauseClickLatencyMs = convPauseLatency;
    check("conv: Pause answers a click within 1 s and stops training", convPauseLatency < 1000 && convStillAt === convPausedAt && convPausedAt > CONV_STEPS, `${convPauseLatency} ms; ${convPausedAt} updates 1 s after the click, ${convStillAt} 1 s later`);

    await page.click("#conv-reset");
    await page.waitForFunction(() => window.__demo.conv.state === "idle", null, { timeout: 30_000 });
    const convReset = await page.evaluate(() => ({ updates: window.__demo.conv.updates, evaluations: window.__demo.conv.evaluations.length, status: document.getElementById("conv-status").textContent }));
    check("conv: Reset returns to a fresh, idle state", convReset.updates === 0 && convReset.evaluations === 0, convReset.status);
    report.conv.seconds = +((performance.now() - convT0) / 1000).toFixed(1);
  }

  // Phone-sized layout.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  const { overflow, wide } = await page.evaluate(() => ({
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    wide: [...document.querySelectorAll("body *")].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}.${el.className}`),
  }));
  check("phone layout (390 px) has no horizontal overflow", overflow <= 1, `scrollWidth - innerWidth = ${overflow}${wide.length ? `; too wide: ${wide.join(", ")}` : ""}`);
  await page.screenshot({ path: join(artifacts, "demo-phone.png"), fullPage: false });

  // Accessibility basics: every input has a label, the canvases have labels.
  const a11y = await page.evaluate(() => {
    const unlabelled = [...document.querySelectorAll("input, select, textarea")].filter((el) => el.labels === null || el.labels.length === 0).map((el) => el.id);
    const canvases = [...document.querySelectorAll("canvas")].filter((c) => !c.getAttribute("aria-label")).map((c) => c.id);
    return { unlabelled, canvases };
  });
  check("every control has a <label> and every chart an aria-label", a11y.unlabelled.length === 0 && a11y.canvases.length === 0, JSON.stringify(a11y));

  const relevantErrors = consoleErrors.filter((e) => !/favicon/.test(e));
  check("no errors in the browser console", relevantErrors.length === 0, relevantErrors.slice(0, 3).join(" | "));
} catch (e) {
  check("e2e ran to the end", false, e instanceof Error ? e.stack ?? e.message : String(e));
  exitCode = 1;
} finally {
  await browser?.close();
  server.close();
}

report.seconds = +((performance.now() - t0) / 1000).toFixed(1);
mkdirSync(artifacts, { recursive: true });
writeFileSync(join(artifacts, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
console.log(`e2e: report ${join(artifacts, "report.json")}, screenshots ${join(artifacts, "demo.png")}, demo-mixture.png, demo-conv.png and demo-phone.png; ${report.seconds} s in all`);
const failed = results.filter((r) => !r.ok).length;
console.log(`e2e: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed > 0 || exitCode ? 1 : 0);
