import * as tf from "@tensorflow/tfjs";
import { describeNetwork } from "@dale-nn/ei-conv";
import type { GratingSet } from "@dale-nn/selectivity";
import { channelBarChart, COLOURS, curveChart, setChannelBars } from "./charts.js";
import {
  convGratings, convSelectivityConfig, DEFAULT_CONV_SETTINGS, disposeConvSelectivity, startConvSelectivity,
  type ConvEvaluation, type ConvSelectivityRun, type ConvSelectivitySettings, type PopulationGosi,
} from "./conv-selectivity.js";
import { mountRunControl, type RunProgress } from "./run-control.js";
import type { MnistSubset } from "./mnist-subset.js";
import { $ } from "./page-element.js";

/** What the conv view exposes on `window.__demo.conv` (for the end-to-end test and the console). */
export interface ConvViewState extends RunProgress {
  /** Every update's training loss. */
  loss: Array<{ update: number; loss: number }>;
  /** Every evaluation: test accuracy and the gOSI of each population. */
  evaluations: ConvEvaluation[];
  /** The latest test accuracy, null before the first evaluation. */
  accuracy: number | null;
  /** The gOSI of every population at update 0, and at the latest evaluation. */
  gosiStart: PopulationGosi[];
  gosi: PopulationGosi[];
  /** tf.memory().numTensors at each evaluation: flat when nothing leaks. */
  tensors: Array<{ update: number; n: number }>;
  /** Milliseconds of each of the last 200 updates, from its release to its next yield (one or more browser tasks; with the evaluation when it had one). */
  stepMs: number[];
  /** The settings of the current run (null before the first Start). */
  settings: ConvSelectivitySettings | null;
  /** Trainable parameters of the current run's network. */
  parameters: number | null;
  /** Gratings scored at each evaluation. */
  gratings: number;
}

function freshState(): ConvViewState {
  return {
    state: "waiting", updates: 0, loss: [], evaluations: [], accuracy: null, gosiStart: [], gosi: [], updatesPerSecond: null, steadyUpdatesPerSecond: null,
    steadySince: null, tensors: [], stepMs: [], settings: null, parameters: null, gratings: 0, error: null,
  };
}

/** The populations' labels and colours for the bar chart of one area. */
function bars(populations: readonly PopulationGosi[], area: string): { labels: string[]; values: Array<number | null>; colours: string[] } {
  const labels: string[] = [];
  const values: Array<number | null> = [];
  const colours: string[] = [];
  for (const p of populations) {
    if (p.area !== area) continue;
    p.gosi.forEach((g, c) => {
      labels.push(`${p.population}${c + 1}`);
      values.push(g);
      colours.push(p.population === "E" ? COLOURS.excitatory : COLOURS.inhibitory);
    });
  }
  return { labels, values, colours };
}

const meanText = (p: PopulationGosi | undefined): string => (p === undefined ? "–" : p.meanGosi === null ? "silent" : `${p.meanGosi.toFixed(3)}${p.silent > 0 ? ` (${p.silent} silent)` : ""}`);

/**
 * Draws a few gratings of the set: the first row at one frequency and every sixth orientation
 * step, the second at one orientation and every frequency (pixels scaled to grey levels, shown
 * enlarged without smoothing).
 */
function drawGratings(canvas: HTMLCanvasElement, g: GratingSet): string {
  const [, h, w] = g.shape;
  const nO = g.orientations.length;
  const nF = g.frequencies.length;
  const nP = g.phases.length;
  const index = (o: number, f: number, p: number): number => (o * nF + f) * nP + p;
  const fRow = Math.min(1, nF - 1);
  const oCol = Math.round(nO / 6);
  const row1 = Array.from({ length: Math.min(6, nO) }, (_, k) => index(Math.floor((k * nO) / Math.min(6, nO)), fRow, 0));
  const row2 = Array.from({ length: nF }, (_, f) => index(oCol, f, 0));
  const scale = 3;
  const gap = 6;
  const cols = Math.max(row1.length, row2.length);
  canvas.width = cols * (w * scale + gap);
  canvas.height = 2 * (h * scale + gap);
  const ctx = canvas.getContext("2d");
  if (!ctx) return "";
  ctx.imageSmoothingEnabled = false;
  const tile = document.createElement("canvas");
  tile.width = w;
  tile.height = h;
  const tctx = tile.getContext("2d")!;
  const per = h * w * g.shape[3];
  [row1, row2].forEach((row, r) => {
    row.forEach((n, k) => {
      const img = tctx.createImageData(w, h);
      for (let i = 0; i < h * w; i++) {
        const v = g.images[n * per + i * g.shape[3]]!;
        const grey = Math.max(0, Math.min(255, Math.round(128 + 80 * v)));
        img.data.set([grey, grey, grey, 255], 4 * i);
      }
      tctx.putImageData(img, 0, 0);
      ctx.drawImage(tile, k * (w * scale + gap), r * (h * scale + gap), w * scale, h * scale);
    });
  });
  const deg = (rad: number): number => Math.round((rad * 180) / Math.PI);
  return `Gratings of ${h} × ${w} pixels: top row ${row1.map((n) => `${deg(g.theta[n]!)}°`).join(", ")} at ${g.cycles[row1[0]!]} cycles per image; bottom row ${row2.map((n) => g.cycles[n]).join(", ")} cycles per image at ${deg(g.theta[row2[0]!]!)}°`;
}

/**
 * Wires the "orientation selectivity" section of index.html to {@link startConvSelectivity}:
 * Start / Pause / Resume / Reset, the E / I channel and seed controls (read at Start after a
 * Reset), the grating thumbnails, the loss and accuracy curves, the gOSI bars of every E and I
 * channel of areas 3 and 4 (update 0 pale, now solid) and the table of mean gOSI per population.
 * The run control (one update per browser task) is {@link mountRunControl}; `stopAfter` pauses by
 * itself after that many updates (the page's `?convSteps=`).
 *
 * @param state - the object to keep up to date (the page puts it on `window.__demo.conv`)
 * @param options - `stopAfter`: pause automatically after this many updates (null: never)
 * @returns `ready(data)`, to call once a backend is set and the MNIST subset is loaded (enables Start)
 */
export function mountConvView(state: ConvViewState, options: { stopAfter: number | null }): { ready(data: MnistSubset): void } {
  const startButton = $<HTMLButtonElement>("conv-start");
  const pauseButton = $<HTMLButtonElement>("conv-pause");
  const resetButton = $<HTMLButtonElement>("conv-reset");
  const statusLine = $<HTMLParagraphElement>("conv-status");
  const eInput = $<HTMLInputElement>("conv-e");
  const iInput = $<HTMLInputElement>("conv-i");
  const seedInput = $<HTMLInputElement>("conv-seed");
  const xLabel = `updates (batches of ${DEFAULT_CONV_SETTINGS.batchSize} digits)`;
  const lossChart = curveChart($<HTMLCanvasElement>("conv-loss-chart"), "Training loss (cross-entropy)", "loss", [{ key: "loss", label: "loss", colour: COLOURS.conv }], { min: 0, xLabel });
  const accuracyChart = curveChart($<HTMLCanvasElement>("conv-accuracy-chart"), `Test accuracy (${DEFAULT_CONV_SETTINGS.testImages} digits)`, "accuracy", [{ key: "accuracy", label: "accuracy", colour: COLOURS.conv }], { min: 0, max: 1, xLabel });
  const gosiCharts = {
    area3: channelBarChart($<HTMLCanvasElement>("conv-gosi-area3"), "Area 3: gOSI per channel", "gOSI"),
    area4: channelBarChart($<HTMLCanvasElement>("conv-gosi-area4"), "Area 4: gOSI per channel", "gOSI"),
  };
  const cells = (row: string): Record<string, HTMLTableCellElement> => {
    const tr = $<HTMLTableElement>("conv-results").querySelector<HTMLTableRowElement>(`tr[data-row="${row}"]`)!;
    return Object.fromEntries(Array.from(tr.querySelectorAll<HTMLTableCellElement>("td[data-field]")).map((td) => [td.dataset["field"]!, td]));
  };
  const startRow = cells("start");
  const nowRow = cells("now");
  const gratings = convGratings(DEFAULT_CONV_SETTINGS);
  const gratingCanvas = $<HTMLCanvasElement>("conv-gratings");
  const gratingText = drawGratings(gratingCanvas, gratings);
  gratingCanvas.setAttribute("aria-label", gratingText);
  $("conv-gratings-caption").textContent = `${gratings.count} gratings (${gratings.orientations.length} orientations × ${gratings.frequencies.length} frequencies × ${gratings.phases.length} phases), a few of them:`;

  let data: MnistSubset | null = null;

  let dirty = false;
  const redraw = (): void => {
    if (dirty) return;
    dirty = true;
    requestAnimationFrame(() => {
      dirty = false;
      lossChart.update("none");
    });
  };

  function progressText(): string {
    const rate = state.updatesPerSecond === null ? "" : `, ${state.updatesPerSecond.toFixed(1)} updates/s`;
    const e3 = state.gosi.find((p) => p.area === "area3" && p.population === "E");
    const i3 = state.gosi.find((p) => p.area === "area3" && p.population === "I");
    const gosi = e3 && i3 ? `, area 3 mean gOSI E ${meanText(e3)} / I ${meanText(i3)}` : "";
    return `${state.updates} updates${state.accuracy !== null ? `, test accuracy ${(100 * state.accuracy).toFixed(1)} %` : ""}${gosi}${rate}`;
  }

  function readSettings(): ConvSelectivitySettings {
    const e = Number(eInput.value);
    const i = Number(iInput.value);
    const seed = Number(seedInput.value);
    const eOk = Number.isInteger(e) && e >= 4 && e <= 16;
    const iOk = Number.isInteger(i) && i >= 1 && i <= 4;
    const seedOk = Number.isInteger(seed) && seed >= 0;
    eInput.setAttribute("aria-invalid", String(!eOk));
    iInput.setAttribute("aria-invalid", String(!iOk));
    seedInput.setAttribute("aria-invalid", String(!seedOk));
    return {
      ...DEFAULT_CONV_SETTINGS,
      principal: eOk ? e : DEFAULT_CONV_SETTINGS.principal,
      interneurons: iOk ? i : DEFAULT_CONV_SETTINGS.interneurons,
      seed: seedOk ? seed : DEFAULT_CONV_SETTINGS.seed,
    };
  }

  function onUpdate(update: number, loss: number): void {
    state.loss.push({ update, loss });
    lossChart.data.datasets[0]!.data.push({ x: update, y: loss });
    nowRow["loss"]!.textContent = loss.toFixed(4);
    if (update === 1) startRow["loss"]!.textContent = loss.toFixed(4);
    redraw();
  }

  function showPopulations(row: Record<string, HTMLTableCellElement>, populations: readonly PopulationGosi[]): void {
    for (const p of populations) {
      const td = row[`${p.area}-${p.population}`];
      if (td) td.textContent = meanText(p);
    }
  }

  function onEvaluation(e: ConvEvaluation): void {
    state.evaluations.push(e);
    state.tensors.push({ update: e.update, n: tf.memory().numTensors });
    state.accuracy = e.accuracy;
    state.gosi = e.populations;
    accuracyChart.data.datasets[0]!.data.push({ x: e.update, y: e.accuracy });
    accuracyChart.update("none");
    const pct = `${(100 * e.accuracy).toFixed(1)} %`;
    const which: Array<0 | 1> = e.update === 0 ? [0, 1] : [1];
    if (e.update === 0) {
      state.gosiStart = e.populations;
      startRow["accuracy"]!.textContent = pct;
      showPopulations(startRow, e.populations);
    }
    nowRow["accuracy"]!.textContent = pct;
    nowRow["updates"]!.textContent = String(e.update);
    showPopulations(nowRow, e.populations);
    for (const [area, chart] of Object.entries(gosiCharts)) {
      const b = bars(e.populations, area);
      for (const w of which) setChannelBars(chart, w, b.labels, b.values, b.colours);
      const means = e.populations.filter((p) => p.area === area).map((p) => `${p.population} ${meanText(p)}`).join(", ");
      chart.canvas.setAttribute("aria-label", `${area === "area3" ? "Area 3" : "Area 4"}: gOSI of each of ${b.labels.length} channels after ${e.update} updates (pale bars: update 0); mean gOSI ${means}`);
    }
    control.showStatus(`Training: ${progressText()}`);
  }

  const control = mountRunControl<ConvSelectivityRun>({
    id: "conv",
    stopParameter: "convSteps",
    stopAfter: options.stopAfter,
    buttons: { start: startButton, pause: pauseButton, reset: resetButton },
    statusLine,
    inputs: [eInput, iInput, seedInput],
    waitingText: "Waiting for the backend and the digits…",
    progress: state,
    progressText,
    onStep: (ms) => {
      state.stepMs.push(Math.round(ms));
      if (state.stepMs.length > 200) state.stepMs.shift();
    },
    begin(arrive, signal) {
      if (data === null) throw new Error("the MNIST subset is not loaded");
      const settings = readSettings();
      state.settings = settings;
      state.parameters = describeNetwork(convSelectivityConfig(settings)).totalParameters;
      const run = startConvSelectivity(settings, data, arrive, signal, { onUpdate, onEvaluation });
      state.gratings = run.data.gratings.count;
      startRow["updates"]!.textContent = "0";
      $("conv-network").textContent = `${settings.principal} E + ${settings.interneurons} I channels in area 3, ${2 * settings.principal} E + ${2 * settings.interneurons} I in area 4, ${state.parameters} trainable parameters`;
      return run;
    },
    dispose: disposeConvSelectivity,
    clear() {
      Object.assign(state, freshState());
      for (const chart of [lossChart, accuracyChart]) {
        chart.data.datasets[0]!.data = [];
        chart.update("none");
      }
      for (const chart of Object.values(gosiCharts)) for (const w of [0, 1] as const) setChannelBars(chart, w, [], [], []);
      for (const row of [startRow, nowRow]) for (const td of Object.values(row)) td.textContent = "–";
    },
  });
  return {
    ready(subset) {
      data = subset;
      control.ready();
    },
  };
}

/** A fresh {@link ConvViewState}. */
export function emptyConvViewState(): ConvViewState {
  return freshState();
}
