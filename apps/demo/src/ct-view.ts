import * as tf from "@tensorflow/tfjs";
import { COLOURS, curveChart, psychometricChart, setPsychometric } from "./charts.js";
import { DEFAULT_CT_SETTINGS, disposeCtMixture, startCtMixture, type CtEvaluation, type CtMixtureRun, type CtMixtureSettings, type PsychometricPoint } from "./ct-mixture.js";
import { mountRunControl, type RunProgress } from "./run-control.js";
import { $ } from "./page-element.js";

/** What the mixture view exposes on `window.__demo.ct` (for the end-to-end test and the console). */
export interface CtViewState extends RunProgress {
  /** a after every `checkEvery`-th update (and at update 0). */
  a: Array<{ update: number; a: number }>;
  /** Every update's training loss. */
  loss: Array<{ update: number; loss: number }>;
  /** Test accuracy at every evaluation. */
  evaluations: Array<{ update: number; accuracy: number }>;
  /** The latest test accuracy, null before the first evaluation. */
  accuracy: number | null;
  /** The latest psychometric curve, and the one at update 0. */
  psychometric: PsychometricPoint[];
  psychometricStart: PsychometricPoint[];
  /** tf.memory().numTensors at each evaluation: flat when nothing leaks. */
  tensors: Array<{ update: number; n: number }>;
  /** The settings of the current run (null before the first Start). */
  settings: CtMixtureSettings | null;
}

function freshState(): CtViewState {
  return { state: "waiting", updates: 0, a: [], loss: [], evaluations: [], accuracy: null, psychometric: [], psychometricStart: [], updatesPerSecond: null, steadyUpdatesPerSecond: null, steadySince: null, tensors: [], settings: null, error: null };
}

/**
 * Wires the "learnable Dale / free mixture" section of index.html to {@link startCtMixture}:
 * Start / Pause / Resume / Reset, the a₀, k and seed controls (read at Start after a Reset), the
 * charts of a, the loss and the psychometric curve, and the table. The run control (one update
 * per browser task) is {@link mountRunControl}; `stopAfter` pauses by itself after that many
 * updates (the page's `?ctSteps=`).
 *
 * @param state - the object to keep up to date (the page puts it on `window.__demo.ct`)
 * @param options - `stopAfter`: pause automatically after this many updates (null: never)
 * @returns `ready()`, to call once a backend is set (enables Start)
 */
export function mountCtView(state: CtViewState, options: { stopAfter: number | null }): { ready(): void } {
  const startButton = $<HTMLButtonElement>("ct-start");
  const pauseButton = $<HTMLButtonElement>("ct-pause");
  const resetButton = $<HTMLButtonElement>("ct-reset");
  const statusLine = $<HTMLParagraphElement>("ct-status");
  const a0Input = $<HTMLInputElement>("ct-a0");
  const kInput = $<HTMLInputElement>("ct-k");
  const seedInput = $<HTMLInputElement>("ct-seed");
  const xLabel = `updates (batches of ${DEFAULT_CT_SETTINGS.batchSize} trials)`;
  const aChart = curveChart($<HTMLCanvasElement>("ct-a-chart"), "Mixing weight a (1 = Dale, 0 = free)", "a", [{ key: "a", label: "a", colour: COLOURS.mixture }], { min: 0, max: 1, xLabel });
  const lossChart = curveChart($<HTMLCanvasElement>("ct-loss-chart"), "Training loss (masked MSE)", "loss", [{ key: "loss", label: "loss", colour: COLOURS.mixture }], { min: 0, xLabel });
  const psyChart = psychometricChart($<HTMLCanvasElement>("ct-psychometric-chart"), COLOURS.mixture);
  const cells = (row: string): Record<"updates" | "a" | "loss" | "accuracy", HTMLTableCellElement> => {
    const tr = $<HTMLTableElement>("ct-results").querySelector<HTMLTableRowElement>(`tr[data-row="${row}"]`)!;
    const get = (f: string): HTMLTableCellElement => tr.querySelector<HTMLTableCellElement>(`td[data-field="${f}"]`)!;
    return { updates: get("updates"), a: get("a"), loss: get("loss"), accuracy: get("accuracy") };
  };
  const startRow = cells("start");
  const nowRow = cells("now");
  $("ct-units").textContent = String(DEFAULT_CT_SETTINGS.units);
  $("ct-test-count").textContent = String(DEFAULT_CT_SETTINGS.testTrials);

  const showA0 = (): void => {
    const text = Number(a0Input.value).toFixed(2);
    $("ct-a0-out").textContent = text;
    a0Input.setAttribute("aria-valuetext", text);
  };
  showA0();
  a0Input.addEventListener("input", showA0);

  let dirty = false;
  const redraw = (): void => {
    if (dirty) return;
    dirty = true;
    requestAnimationFrame(() => {
      dirty = false;
      aChart.update("none");
      lossChart.update("none");
    });
  };

  function progressText(): string {
    const last = state.a.at(-1);
    const rate = state.updatesPerSecond === null ? "" : `, ${state.updatesPerSecond.toFixed(1)} updates/s`;
    return `${state.updates} updates${last ? `, a = ${last.a.toFixed(3)}` : ""}${state.accuracy !== null ? `, test accuracy ${(100 * state.accuracy).toFixed(1)} %` : ""}${rate}`;
  }

  function readSettings(): CtMixtureSettings {
    const a0 = Number(a0Input.value);
    const k = Number(kInput.value);
    const seed = Number(seedInput.value);
    const kOk = Number.isFinite(k) && k > 0 && k <= 100;
    const seedOk = Number.isInteger(seed) && seed >= 0;
    kInput.setAttribute("aria-invalid", String(!kOk));
    seedInput.setAttribute("aria-invalid", String(!seedOk));
    return {
      ...DEFAULT_CT_SETTINGS,
      a0: a0 >= 0.1 && a0 <= 0.9 ? a0 : DEFAULT_CT_SETTINGS.a0,
      logitScale: kOk ? k : DEFAULT_CT_SETTINGS.logitScale,
      seed: seedOk ? seed : DEFAULT_CT_SETTINGS.seed,
    };
  }

  function onUpdate(update: number, loss: number, a: number | null): void {
    state.loss.push({ update, loss });
    lossChart.data.datasets[0]!.data.push({ x: update, y: loss });
    nowRow.loss.textContent = loss.toFixed(4);
    if (update === 1) startRow.loss.textContent = loss.toFixed(4);
    if (a !== null) {
      state.a.push({ update, a });
      aChart.data.datasets[0]!.data.push({ x: update, y: a });
      nowRow.a.textContent = a.toFixed(3);
    }
    redraw();
  }

  function onEvaluation(e: CtEvaluation): void {
    state.evaluations.push({ update: e.update, accuracy: e.accuracy });
    state.tensors.push({ update: e.update, n: tf.memory().numTensors });
    state.accuracy = e.accuracy;
    state.psychometric = e.psychometric;
    const pct = `${(100 * e.accuracy).toFixed(1)} %`;
    if (e.update === 0) {
      state.psychometricStart = e.psychometric;
      setPsychometric(psyChart, 1, e.psychometric);
      startRow.accuracy.textContent = pct;
    }
    setPsychometric(psyChart, 0, e.psychometric);
    nowRow.accuracy.textContent = pct;
    const p = e.psychometric;
    psyChart.canvas.setAttribute(
      "aria-label",
      `Psychometric curve after ${e.update} updates: P(choice 1) from ${p[0]?.pChoice1.toFixed(2)} at ${p[0]?.coherence} % to ${p.at(-1)?.pChoice1.toFixed(2)} at ${p.at(-1)?.coherence} % signed coherence; test accuracy ${pct}`,
    );
    control.showStatus(`Training: ${progressText()}`);
  }

  const control = mountRunControl<CtMixtureRun>({
    id: "ct",
    stopParameter: "ctSteps",
    stopAfter: options.stopAfter,
    buttons: { start: startButton, pause: pauseButton, reset: resetButton },
    statusLine,
    inputs: [a0Input, kInput, seedInput],
    waitingText: "Waiting for the backend…",
    progress: state,
    progressText,
    onCycle: (updates) => {
      nowRow.updates.textContent = String(updates);
    },
    begin(arrive, signal) {
      const settings = readSettings();
      state.settings = settings;
      const run = startCtMixture(settings, arrive, signal, { onUpdate, onEvaluation });
      const a0 = run.model.a;
      state.a.push({ update: 0, a: a0 });
      aChart.data.datasets[0]!.data.push({ x: 0, y: a0 });
      startRow.updates.textContent = "0";
      startRow.a.textContent = a0.toFixed(3);
      return run;
    },
    dispose: disposeCtMixture,
    clear() {
      Object.assign(state, freshState());
      for (const chart of [aChart, lossChart]) {
        chart.data.datasets[0]!.data = [];
        chart.update("none");
      }
      setPsychometric(psyChart, 0, []);
      setPsychometric(psyChart, 1, []);
      for (const row of [startRow, nowRow]) for (const td of Object.values(row)) td.textContent = "–";
    },
  });
  return { ready: control.ready };
}

/** A fresh {@link CtViewState}. */
export function emptyCtViewState(): CtViewState {
  return freshState();
}
