import "./style.css";
import * as tf from "@tensorflow/tfjs";
import type { Chart } from "chart.js";
import { backendOrderFromUrl, chooseBackend, type BackendChoice } from "./backend.js";
import { mountConvView, emptyConvViewState, type ConvViewState } from "./conv-view.js";
import { mountCtView, emptyCtViewState, type CtViewState } from "./ct-view.js";
import { COLOURS, curveChart, eigenChart, histogramChart, setEigenvalues, setHistogram } from "./charts.js";
import { Lockstep, yieldToBrowser } from "./lockstep.js";
import { decodeMnistSubset, type MnistSubset } from "./mnist-subset.js";
import { RECURRENT_KINDS, RECURRENT_LABELS, summarise, type RecurrentKind } from "./spectra-model.js";
import { DEFAULT_SETTINGS, disposeRun, FEEDFORWARD_KINDS, FEEDFORWARD_LABELS, startRun, type FeedforwardKind, type Run, type TrainingSettings } from "./training.js";
import { $ } from "./page-element.js";
import { RunClock } from "./run-clock.js";

/** What the end-to-end test (and a curious user, from the console) can read. */
interface DemoState {
  backend: BackendChoice | null;
  ready: boolean;
  state: "loading" | "idle" | "running" | "paused" | "finished" | "error";
  updates: number;
  stepsPerSecond: number | null;
  /** Steps per second after the first 10 updates (shader compilation and first evaluation excluded). */
  steadyStepsPerSecond: number | null;
  loss: Record<FeedforwardKind, Array<{ update: number; loss: number }>>;
  testError: Record<FeedforwardKind, Array<{ update: number; error: number }>>;
  spectra: Partial<Record<RecurrentKind, { n: number; ne: number; ni: number; nse: number; radius: number; sigmaMax: number }>>;
  error: string | null;
  /** The slowest single update after the first 10 (one browser task, with its evaluation if it had one). */
  slowestStep: { model: string; update: number; ms: number } | null;
  /** Median update time per model, over the last 200 updates. */
  stepMs: Record<string, number[]>;
  /** performance.now() when update 10 was done (warm-up over). */
  steadySince: number | null;
  /** The learnable Dale / free mixture section (src/ct-view.ts). */
  ct: CtViewState;
  /** The conv network's orientation selectivity section (src/conv-view.ts). */
  conv: ConvViewState;
}

const emptyCurves = <T>(): Record<FeedforwardKind, T[]> => ({ mlp: [], columnei: [], dann: [] });
const demo: DemoState = {
  backend: null,
  ready: false,
  state: "loading",
  updates: 0,
  stepsPerSecond: null,
  steadyStepsPerSecond: null,
  loss: emptyCurves(),
  testError: emptyCurves(),
  spectra: {},
  error: null,
  slowestStep: null,
  stepMs: {},
  steadySince: null,
  ct: emptyCtViewState(),
  conv: emptyConvViewState(),
};
(window as unknown as { __demo: DemoState }).__demo = demo;

const params = new URLSearchParams(location.search);
const positiveParam = (name: string): number | null => (Number(params.get(name)) > 0 ? Math.floor(Number(params.get(name))) : null);
const stopAfter = positiveParam("steps");

// ---------- the learnable Dale / free mixture (src/ct-view.ts) ----------
const ctView = mountCtView(demo.ct, { stopAfter: positiveParam("ctSteps") });

// ---------- the conv network's orientation selectivity (src/conv-view.ts) ----------
const convView = mountConvView(demo.conv, { stopAfter: positiveParam("convSteps") });

// ---------- training UI ----------
const startButton = $<HTMLButtonElement>("start");
const pauseButton = $<HTMLButtonElement>("pause");
const resetButton = $<HTMLButtonElement>("reset");
const statusLine = $<HTMLParagraphElement>("training-status");
const inhibitoryInput = $<HTMLInputElement>("inhibitory");
const lrInputs: Record<FeedforwardKind, HTMLInputElement> = { mlp: $("lr-mlp"), columnei: $("lr-columnei"), dann: $("lr-dann") };
const series = FEEDFORWARD_KINDS.map((k) => ({ key: k, label: FEEDFORWARD_LABELS[k], colour: COLOURS[k] }));
const lossChart = curveChart($<HTMLCanvasElement>("loss-chart"), "Training loss (cross-entropy)", "loss", series, { min: 0 });
const errorChart = curveChart($<HTMLCanvasElement>("error-chart"), "Test error", "error rate", series, { min: 0, max: 1 });
const resultsBody = $<HTMLTableElement>("results").tBodies[0]!;

const rows = {} as Record<FeedforwardKind, { updates: HTMLTableCellElement; loss: HTMLTableCellElement; start: HTMLTableCellElement; now: HTMLTableCellElement }>;
for (const kind of FEEDFORWARD_KINDS) {
  const tr = resultsBody.insertRow();
  tr.dataset["model"] = kind;
  const th = document.createElement("th");
  th.scope = "row";
  th.innerHTML = `<span class="swatch" style="background:${COLOURS[kind]}" aria-hidden="true"></span>${FEEDFORWARD_LABELS[kind]}`;
  tr.appendChild(th);
  const cell = (name: string): HTMLTableCellElement => {
    const td = tr.insertCell();
    td.dataset["field"] = name;
    td.textContent = "–";
    return td;
  };
  rows[kind] = { updates: cell("updates"), loss: cell("loss"), start: cell("start"), now: cell("now") };
}

let chartsDirty = false;
function scheduleChartUpdate(): void {
  if (chartsDirty) return;
  chartsDirty = true;
  requestAnimationFrame(() => {
    chartsDirty = false;
    lossChart.update("none");
    errorChart.update("none");
  });
}

function readSettings(): TrainingSettings {
  const ni = Math.round(Number(inhibitoryInput.value));
  const inhibitory = Number.isFinite(ni) && ni >= 1 && ni <= 50 ? ni : DEFAULT_SETTINGS.inhibitory;
  inhibitoryInput.value = String(inhibitory);
  const learningRates = { ...DEFAULT_SETTINGS.learningRates };
  for (const k of FEEDFORWARD_KINDS) learningRates[k] = validLearningRate(k);
  const checkEvery = Number(params.get("checkEvery")) >= 1 ? Math.floor(Number(params.get("checkEvery"))) : DEFAULT_SETTINGS.checkEvery;
  return { ...DEFAULT_SETTINGS, inhibitory, learningRates, checkEvery };
}

function validLearningRate(kind: FeedforwardKind): number {
  const input = lrInputs[kind];
  const v = Number(input.value);
  const ok = Number.isFinite(v) && v > 0 && v <= 10;
  input.setAttribute("aria-invalid", String(!ok));
  return ok ? v : DEFAULT_SETTINGS.learningRates[kind];
}

let data: MnistSubset | null = null;
let runs: Run[] = [];
let lockstep: Lockstep | null = null;
let abort: AbortController | null = null;
const clock = new RunClock();

function setState(state: DemoState["state"], message: string): void {
  demo.state = state;
  statusLine.dataset["state"] = state;
  statusLine.textContent = message;
  startButton.disabled = !data || state === "running" || state === "finished";
  pauseButton.disabled = state !== "running";
  resetButton.disabled = state === "idle" || state === "loading";
  startButton.textContent = state === "paused" ? "Resume" : "Start";
}

function progressText(): string {
  const rate = demo.stepsPerSecond === null ? "" : `, ${demo.stepsPerSecond.toFixed(1)} steps/s per model`;
  return `${demo.updates} updates of each network${rate}`;
}

function onCycle(cycles: number): void {
  demo.updates = cycles;
  const rates = clock.tick(cycles);
  demo.stepsPerSecond = rates.perSecond;
  demo.steadyStepsPerSecond = rates.steadyPerSecond ?? demo.steadyStepsPerSecond;
  demo.steadySince = rates.steadySince;
  for (const k of FEEDFORWARD_KINDS) rows[k].updates.textContent = String(cycles);
  if (cycles % 5 === 0) statusLine.textContent = `Training: ${progressText()}`;
}

function start(): void {
  if (!data) return;
  if (!lockstep) {
    const settings = readSettings();
    abort = new AbortController();
    const ls = new Lockstep(() => yieldToBrowser(), {
      onCycle,
      onStep: (id, ms) => {
        const list = (demo.stepMs[id] ??= []);
        list.push(ms);
        if (list.length > 200) list.shift();
        if (demo.updates >= 10 && (!demo.slowestStep || ms > demo.slowestStep.ms)) demo.slowestStep = { model: id, update: demo.updates + 1, ms };
      },
      onAutoPause: (cycles) => {
        clock.stop();
        setState("paused", `Paused after ${cycles} updates (steps=${cycles} in the address): ${progressText()}`);
      },
    });
    ls.stopAt = stopAfter;
    lockstep = ls;
    const signal = abort.signal;
    runs = FEEDFORWARD_KINDS.map((kind) => {
      ls.join(kind);
      return startRun(kind, data!, settings, () => ls.arrive(kind), signal, {
        onLoss: (k, update, loss) => {
          demo.loss[k].push({ update, loss });
          lossChart.data.datasets[FEEDFORWARD_KINDS.indexOf(k)]!.data.push({ x: update, y: loss });
          rows[k].loss.textContent = loss.toFixed(3);
          scheduleChartUpdate();
        },
        onTestError: (k, update, error) => {
          demo.testError[k].push({ update, error });
          errorChart.data.datasets[FEEDFORWARD_KINDS.indexOf(k)]!.data.push({ x: update, y: error });
          if (update === 0) rows[k].start.textContent = `${(100 * error).toFixed(1)}%`;
          rows[k].now.textContent = `${(100 * error).toFixed(1)}%`;
          scheduleChartUpdate();
        },
      });
    });
    for (const run of runs) {
      run.done
        .then((result) => {
          ls.leave(run.kind);
          if (result.diverged) rows[run.kind].loss.textContent = `diverged at update ${result.diverged.update}`;
        })
        .catch((e: unknown) => {
          ls.leave(run.kind);
          showError(`${FEEDFORWARD_LABELS[run.kind]}: ${(e as Error).message}`);
        });
    }
    void Promise.allSettled(runs.map((r) => r.done)).then(() => {
      if (lockstep === ls && !signal.aborted) {
        clock.stop();
        setState("finished", `Finished ${DEFAULT_SETTINGS.epochs} epochs: ${progressText()}`);
      }
    });
  }
  clock.start();
  setState("running", `Training: ${progressText()}`);
  lockstep.resume();
}

function pause(): void {
  lockstep?.pause();
  clock.stop();
  setState("paused", `Paused: ${progressText()}`);
}

async function reset(): Promise<void> {
  const ls = lockstep;
  const old = runs;
  lockstep = null;
  runs = [];
  abort?.abort();
  if (ls) {
    ls.resume();
    ls.releaseAll();
  }
  await Promise.allSettled(old.map((r) => r.done));
  old.forEach(disposeRun);
  clock.reset();
  demo.updates = 0;
  demo.stepsPerSecond = null;
  demo.steadyStepsPerSecond = null;
  demo.slowestStep = null;
  demo.stepMs = {};
  demo.steadySince = null;
  demo.loss = emptyCurves();
  demo.testError = emptyCurves();
  for (const chart of [lossChart, errorChart]) for (const ds of chart.data.datasets) ds.data = [];
  lossChart.update("none");
  errorChart.update("none");
  for (const k of FEEDFORWARD_KINDS) for (const td of Object.values(rows[k])) td.textContent = "–";
  setState("idle", `Ready: ${data?.train.count ?? 0} training and ${data?.test.count ?? 0} test images. Press Start. (${tf.memory().numTensors} tensors in memory)`);
}

function showError(message: string): void {
  demo.error = message;
  setState("error", `Error: ${message}`);
}

startButton.addEventListener("click", start);
pauseButton.addEventListener("click", pause);
resetButton.addEventListener("click", () => void reset());
for (const k of FEEDFORWARD_KINDS) {
  lrInputs[k].addEventListener("change", () => {
    const lr = validLearningRate(k);
    const run = runs.find((r) => r.kind === k);
    if (run) run.optimizer.setLearningRate(lr);
  });
}
inhibitoryInput.addEventListener("change", () => {
  if (runs.length > 0) statusLine.textContent = `${statusLine.textContent?.replace(/ \(inhibitory.*$/, "")} (inhibitory units: takes effect after Reset)`;
});

// ---------- spectra ----------
const RATIOS = [1, 4, 9, 19, 49, 99];
const ratioInput = $<HTMLInputElement>("ratio");
const sizeInput = $<HTMLInputElement>("size");
const seedInput = $<HTMLInputElement>("spectra-seed");
const spectraStatus = $<HTMLParagraphElement>("spectra-status");
const panelColours: Record<RecurrentKind, string> = { standard: COLOURS.mlp, colei: COLOURS.columnei, dann: COLOURS.dann };
const panels = {} as Record<RecurrentKind, { eig: Chart<"scatter", Array<{ x: number; y: number }>>; hist: Chart<"bar", number[], string>; text: HTMLParagraphElement }>;
for (const kind of RECURRENT_KINDS) {
  const fig = document.createElement("figure");
  fig.setAttribute("aria-labelledby", `spectra-${kind}-caption`);
  fig.innerHTML = `<figcaption id="spectra-${kind}-caption">${RECURRENT_LABELS[kind]}</figcaption>
    <p class="nse" id="spectra-${kind}-nse" data-kind="${kind}"></p>
    <canvas id="spectra-${kind}-eig" role="img"></canvas>
    <canvas id="spectra-${kind}-hist" role="img"></canvas>`;
  $("spectra-panels").appendChild(fig);
  const eigCanvas = fig.querySelector<HTMLCanvasElement>(`#spectra-${kind}-eig`)!;
  const histCanvas = fig.querySelector<HTMLCanvasElement>(`#spectra-${kind}-hist`)!;
  panels[kind] = { eig: eigenChart(eigCanvas, panelColours[kind]), hist: histogramChart(histCanvas, panelColours[kind]), text: fig.querySelector("p")! };
}

function ratioText(r: number): string {
  return `${r}:1 (${(100 / (r + 1)).toFixed(r >= 19 ? 0 : 0)}% I)`;
}

let spectraPending = false;
function scheduleSpectra(): void {
  const r = RATIOS[Number(ratioInput.value)] ?? 9;
  $("ratio-out").textContent = ratioText(r);
  ratioInput.setAttribute("aria-valuetext", ratioText(r));
  $("size-out").textContent = sizeInput.value;
  if (spectraPending) return;
  spectraPending = true;
  spectraStatus.textContent = "Computing spectra…";
  // Let the slider and the status paint first; the eigen-solvers run on the main thread (~0.1 s at n = 200).
  requestAnimationFrame(() =>
    setTimeout(() => {
      spectraPending = false;
      updateSpectra();
    }, 0),
  );
}

function updateSpectra(): void {
  const ratio = RATIOS[Number(ratioInput.value)] ?? 9;
  const n = Math.min(200, Math.max(20, Math.round(Number(sizeInput.value))));
  const seed = Math.max(0, Math.round(Number(seedInput.value)) || 0);
  const t0 = performance.now();
  try {
    for (const kind of RECURRENT_KINDS) {
      const s = summarise(kind, n, ratio, seed);
      const p = panels[kind];
      setEigenvalues(p.eig, s.eig.re, s.eig.im);
      setHistogram(p.hist, s.hist.edges, s.hist.counts);
      const sigmaMax = s.singular[0] ?? 0;
      const units = kind === "standard" ? `${n} units` : kind === "colei" ? `${s.ne} E + ${s.ni} I units` : `${s.ne} E units, ${s.ni} I`;
      p.text.textContent = `NSE ${s.nse.toFixed(3)} · ρ ${s.radius.toFixed(2)} · σmax ${sigmaMax.toFixed(2)} · ${units}`;
      p.eig.canvas.setAttribute("aria-label", `${RECURRENT_LABELS[kind]}: ${n} eigenvalues in the complex plane, spectral radius ${s.radius.toFixed(2)}`);
      p.hist.canvas.setAttribute("aria-label", `${RECURRENT_LABELS[kind]}: histogram of ${n} singular values, largest ${sigmaMax.toFixed(2)}, normalised SVD entropy ${s.nse.toFixed(3)}`);
      demo.spectra[kind] = { n, ne: s.ne, ni: s.ni, nse: s.nse, radius: s.radius, sigmaMax };
    }
    spectraStatus.textContent = `n = ${n}, E:I ${ratioText(ratio)}, seed ${seed}: computed in ${Math.round(performance.now() - t0)} ms.`;
  } catch (e) {
    spectraStatus.textContent = `Could not compute the spectra: ${(e as Error).message}`;
  }
}
for (const input of [ratioInput, sizeInput]) input.addEventListener("input", scheduleSpectra);
seedInput.addEventListener("change", scheduleSpectra);

// ---------- start-up ----------
async function main(): Promise<void> {
  scheduleSpectra();
  const order = backendOrderFromUrl(location.search);
  const choice = await chooseBackend(order);
  demo.backend = choice;
  ctView.ready();
  const backendEl = $("backend");
  backendEl.textContent = choice.name;
  backendEl.dataset["backend"] = choice.name;
  $("backend-detail").textContent = `(${choice.detail})`;
  if (choice.name !== order[0] || choice.failures.length > 0) {
    const note = $("backend-note");
    note.hidden = false;
    note.textContent = `Fell back to ${choice.name}: ${choice.failures.join("; ")}. Training works, more slowly.`;
  } else if (choice.name !== "webgl") {
    const note = $("backend-note");
    note.hidden = false;
    note.textContent = `Using ${choice.name} because the address asked for it (?backend=${choice.name}).`;
  }
  const url = new URL("mnist-subset.bin", document.baseURI).href;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`);
  data = decodeMnistSubset(new Uint8Array(await response.arrayBuffer()), url);
  demo.ready = true;
  convView.ready(data);
  await reset();
}

main().catch((e: unknown) => showError((e as Error).message));
