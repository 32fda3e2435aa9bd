import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Title,
  Tooltip,
  type ChartDataset,
} from "chart.js";

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, CategoryScale, ScatterController, BarController, BarElement, Legend, Tooltip, Title);
Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
Chart.defaults.animation = false;

/** Colour-blind-safe colours (Okabe-Ito), one per model. */
export const COLOURS = { mlp: "#0072B2", columnei: "#D55E00", dann: "#009E73", mixture: "#CC79A7", conv: "#E69F00", excitatory: "#D55E00", inhibitory: "#0072B2", circle: "#888888" } as const;

type XY = { x: number; y: number };

/** A line chart of y against update with one dataset per series (x axis: `yOptions.xLabel`, default "updates (batches of 32)"). */
export function curveChart(canvas: HTMLCanvasElement, title: string, yLabel: string, series: Array<{ key: string; label: string; colour: string }>, yOptions: { min?: number; max?: number; log?: boolean; xLabel?: string } = {}): Chart<"line", XY[]> {
  return new Chart<"line", XY[]>(canvas, {
    type: "line",
    data: {
      datasets: series.map((s) => ({ label: s.label, data: [] as XY[], borderColor: s.colour, backgroundColor: s.colour, pointRadius: 0, borderWidth: 2, tension: 0 })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      plugins: { title: { display: true, text: title }, legend: { position: "bottom" } },
      scales: {
        x: { type: "linear", title: { display: true, text: yOptions.xLabel ?? "updates (batches of 32)" }, min: 0 },
        y: { type: yOptions.log ? "logarithmic" : "linear", title: { display: true, text: yLabel }, ...(yOptions.min !== undefined ? { min: yOptions.min } : {}), ...(yOptions.max !== undefined ? { max: yOptions.max } : {}) },
      },
    },
  });
}

/** Eigenvalues in the complex plane with the circle |λ| = radius for reference. */
export function eigenChart(canvas: HTMLCanvasElement, colour: string): Chart<"scatter", XY[]> {
  const datasets: ChartDataset<"scatter", XY[]>[] = [
    { label: "eigenvalues", data: [], backgroundColor: colour, borderColor: colour, pointRadius: 2 },
    { label: "|λ| = 1", data: circle(1), showLine: true, pointRadius: 0, borderColor: COLOURS.circle, borderWidth: 1, borderDash: [4, 4] },
  ];
  return new Chart<"scatter", XY[]>(canvas, {
    type: "scatter",
    data: { datasets },
    options: {
      responsive: true,
      maintainAspectRatio: true,
      aspectRatio: 1,
      parsing: false,
      plugins: { legend: { display: false }, tooltip: { enabled: false } },
      scales: {
        x: { type: "linear", min: -1.6, max: 1.6, title: { display: true, text: "Re λ" } },
        y: { type: "linear", min: -1.6, max: 1.6, title: { display: true, text: "Im λ" } },
      },
    },
  });
}

export function setEigenvalues(chart: Chart<"scatter", XY[]>, re: Float64Array, im: Float64Array): void {
  let lim = 1.1;
  for (let i = 0; i < re.length; i++) lim = Math.max(lim, Math.abs(re[i] as number) * 1.05, Math.abs(im[i] as number) * 1.05);
  lim = Math.ceil(lim * 10) / 10;
  chart.data.datasets[0]!.data = Array.from(re, (x, i) => ({ x, y: im[i] as number }));
  const sx = chart.options.scales!["x"]!, sy = chart.options.scales!["y"]!;
  sx.min = -lim; sx.max = lim; sy.min = -lim; sy.max = lim;
  chart.update("none");
}

function circle(r: number): XY[] {
  return Array.from({ length: 97 }, (_, i) => ({ x: r * Math.cos((i / 96) * 2 * Math.PI), y: r * Math.sin((i / 96) * 2 * Math.PI) }));
}

/** A histogram of singular values (bars at bin centres). */
export function histogramChart(canvas: HTMLCanvasElement, colour: string): Chart<"bar", number[], string> {
  return new Chart<"bar", number[], string>(canvas, {
    type: "bar",
    data: { labels: [], datasets: [{ label: "count", data: [], backgroundColor: colour, barPercentage: 1, categoryPercentage: 1 }] },
    options: {
      responsive: true,
      maintainAspectRatio: true,
      aspectRatio: 1.4,
      plugins: { legend: { display: false } },
      scales: {
        x: { title: { display: true, text: "singular value σ" }, ticks: { maxTicksLimit: 6 } },
        y: { title: { display: true, text: "count" }, beginAtZero: true },
      },
    },
  });
}

export function setHistogram(chart: Chart<"bar", number[], string>, edges: Float64Array, counts: ArrayLike<number>): void {
  const labels: string[] = [];
  for (let i = 0; i + 1 < edges.length; i++) labels.push((((edges[i] as number) + (edges[i + 1] as number)) / 2).toFixed(2));
  chart.data.labels = labels;
  chart.data.datasets[0]!.data = Array.from(counts);
  chart.update("none");
}

/**
 * A psychometric curve: P(choice 1) against signed coherence, the latest curve in `colour` and the
 * one at update 0 dashed grey for reference.
 */
export function psychometricChart(canvas: HTMLCanvasElement, colour: string): Chart<"line", XY[]> {
  return new Chart<"line", XY[]>(canvas, {
    type: "line",
    data: {
      datasets: [
        { label: "now", data: [], borderColor: colour, backgroundColor: colour, pointRadius: 3, borderWidth: 2, tension: 0 },
        { label: "update 0", data: [], borderColor: COLOURS.circle, backgroundColor: COLOURS.circle, pointRadius: 2, borderWidth: 1, borderDash: [4, 4], tension: 0 },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      plugins: { title: { display: true, text: "Psychometric curve (test set)" }, legend: { position: "bottom" } },
      scales: {
        x: { type: "linear", title: { display: true, text: "signed coherence (%), + toward choice 1" } },
        y: { type: "linear", min: 0, max: 1, title: { display: true, text: "P(choice 1)" } },
      },
    },
  });
}

/** Sets one curve (0: now, 1: update 0) of a {@link psychometricChart}. */
export function setPsychometric(chart: Chart<"line", XY[]>, which: 0 | 1, points: ReadonlyArray<{ coherence: number; pChoice1: number }>): void {
  chart.data.datasets[which]!.data = points.map((p) => ({ x: p.coherence, y: p.pChoice1 }));
  chart.update("none");
}

/** A colour with an alpha: "#RRGGBB" → "rgba(r, g, b, alpha)". */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/**
 * A bar chart of a value in [0, 1] per channel (the gOSI of each E and I channel), two bars per
 * channel: pale at update 0 and solid now, each bar in its population's colour.
 */
export function channelBarChart(canvas: HTMLCanvasElement, title: string, yLabel: string): Chart<"bar", Array<number | null>, string> {
  return new Chart<"bar", Array<number | null>, string>(canvas, {
    type: "bar",
    data: {
      labels: [],
      datasets: [
        { label: "update 0", data: [], backgroundColor: [], borderColor: [], borderWidth: 1 },
        { label: "now", data: [], backgroundColor: [], borderColor: [], borderWidth: 1 },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      plugins: {
        title: { display: true, text: title },
        legend: { position: "bottom", onClick: () => undefined, labels: { generateLabels: channelLegend } },
      },
      scales: {
        x: { title: { display: true, text: "channel" } },
        y: { min: 0, max: 1, title: { display: true, text: yLabel } },
      },
    },
  });
}

function channelLegend(): Array<{ text: string; fillStyle: string; strokeStyle: string; lineWidth: number; hidden: boolean; datasetIndex?: number }> {
  return [
    { text: "E", fillStyle: COLOURS.excitatory, strokeStyle: COLOURS.excitatory, lineWidth: 1, hidden: false },
    { text: "I", fillStyle: COLOURS.inhibitory, strokeStyle: COLOURS.inhibitory, lineWidth: 1, hidden: false },
    { text: "pale: update 0", fillStyle: withAlpha(COLOURS.circle, 0.3), strokeStyle: COLOURS.circle, lineWidth: 1, hidden: false },
  ];
}

/**
 * Sets one set of bars (0: update 0, 1: now) of a {@link channelBarChart}: labels, values (null: no
 * bar) and per-bar colours.
 */
export function setChannelBars(chart: Chart<"bar", Array<number | null>, string>, which: 0 | 1, labels: string[], values: Array<number | null>, colours: string[]): void {
  chart.data.labels = labels;
  const ds = chart.data.datasets[which]!;
  ds.data = values;
  ds.backgroundColor = colours.map((c) => (which === 0 ? withAlpha(c, 0.3) : c));
  ds.borderColor = colours;
  chart.update("none");
}
