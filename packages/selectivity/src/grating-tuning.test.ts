import { describe, expect, it } from "vitest";
import { gratingSet, type GratingLayout } from "./grating-set.js";
import { centreResponses } from "./centre-responses.js";
import { collectResponses } from "./collect-responses.js";
import { gratingTuning } from "./grating-tuning.js";
import { skewness } from "./skewness.js";

const g = gratingSet({ height: 8, width: 8, channels: 1 }); // the paper's 432-grating grid, small pixels
const C = 5;
const c = 0.6;
const theta0 = (70 * Math.PI) / 180;

/** Channel 0: one grating only; 1: flat; 2: below exp(−10); 3: cos tuning at f = 3, φ = 0; 4: zero. */
function responses(): Float64Array {
  const r = new Float64Array(432 * C);
  for (let n = 0; n < 432; n++) {
    const [o, f, p] = [g.orientationIndex[n]!, g.frequencyIndex[n]!, g.phaseIndex[n]!];
    r[n * C + 0] = o === 5 && f === 2 && p === 1 ? 1.5 : 0;
    r[n * C + 1] = 0.5;
    r[n * C + 2] = 1e-6 * ((n % 7) + 1);
    r[n * C + 3] = (1 + c * Math.cos(2 * (g.theta[n]! - theta0))) * (f === 2 ? 1 : 0.3) * (p === 0 ? 1 : 0.5);
    r[n * C + 4] = 0;
  }
  return r;
}

describe("gratingTuning", () => {
  it("gratingTuning(responses, gratingSet()) finds preferred orientation, frequency and phase at the maximal response", () => {
    const t = gratingTuning({ data: responses(), rows: 432, cols: C }, g);
    expect(t.channels).toBe(C);
    expect(t.preferredOrientationIndex[0]).toBe(5);
    expect(t.preferredOrientation[0]).toBeCloseTo((50 * Math.PI) / 180, 14);
    expect(t.preferredFrequency[0]).toBe(3);
    expect(t.preferredFrequencyIndex[0]).toBe(2);
    expect(t.preferredPhase[0]).toBeCloseTo(Math.PI / 2, 14);
    expect(t.preferredOrientationIndex[3]).toBe(7); // 70°
    expect(t.preferredFrequency[3]).toBe(3);
    expect(t.preferredPhase[3]).toBe(0);
  });

  it("gratingTuning gives gOSI 1 for one-orientation tuning, 0 for flat, c/2 for 1 + c cos 2(θ − θ₀) at the preferred frequency and phase", () => {
    const t = gratingTuning({ data: responses(), rows: 432, cols: C }, g);
    expect(t.gosi[0]).toBeCloseTo(1, 14);
    expect(t.gosi[1]).toBeLessThan(1e-15);
    expect(t.gosi[3]).toBeCloseTo(c / 2, 13);
    const curve = Array.from(t.tuningCurves.subarray(3 * 18, 4 * 18));
    expect(curve).toEqual(Array.from(g.orientations, (th) => 1 + c * Math.cos(2 * (th - theta0))));
    expect(t.meanGosi).toBeCloseTo((1 + 0 + c / 2) / 3, 13);
  });

  it("gratingTuning's orientation skewness is eq. 4 over all 432 gratings", () => {
    const r = responses();
    const t = gratingTuning({ data: r, rows: 432, cols: C }, g);
    for (const j of [0, 1, 3]) {
      const column = Array.from({ length: 432 }, (_, n) => r[n * C + j]!);
      expect(t.orientationSkewness[j]).toBeCloseTo(skewness(column), 12);
    }
    expect(t.orientationSkewness[1]).toBe(0);
    expect(t.meanOrientationSkewness).toBeCloseTo((t.orientationSkewness[0]! + t.orientationSkewness[3]!) / 3, 12);
  });

  it("gratingTuning leaves out and lists the channels whose max response is ≤ exp(−10)", () => {
    const t = gratingTuning({ data: responses(), rows: 432, cols: C }, g);
    expect(Array.from(t.responsive)).toEqual([0, 1, 3]);
    expect(Array.from(t.silent)).toEqual([2, 4]);
    for (const j of [2, 4]) {
      expect(t.gosi[j]).toBeNaN();
      expect(t.orientationSkewness[j]).toBeNaN();
      expect(t.preferredOrientation[j]).toBeNaN();
      expect(t.preferredOrientationIndex[j]).toBe(-1);
    }
    const loose = gratingTuning({ data: responses(), rows: 432, cols: C }, g, { threshold: 1e-7 });
    expect(Array.from(loose.silent)).toEqual([4]);
  });

  it("gratingTuning reads the grid from the layout, so a shuffled image order gives the same tuning", () => {
    const r = responses();
    const perm = Array.from({ length: 432 }, (_, i) => (i * 181) % 432); // 181 is coprime to 432
    const shuffled = new Float64Array(432 * C);
    perm.forEach((src, dst) => shuffled.set(r.subarray(src * C, (src + 1) * C), dst * C));
    const pick = (a: Int32Array) => Int32Array.from(perm, (src) => a[src]!);
    const layout: GratingLayout = {
      orientations: g.orientations,
      frequencies: g.frequencies,
      phases: g.phases,
      orientationIndex: pick(g.orientationIndex),
      frequencyIndex: pick(g.frequencyIndex),
      phaseIndex: pick(g.phaseIndex),
    };
    const a = gratingTuning({ data: r, rows: 432, cols: C }, g);
    const b = gratingTuning({ data: shuffled, rows: 432, cols: C }, layout);
    expect(Array.from(b.gosi)).toEqual(Array.from(a.gosi));
    expect(Array.from(b.preferredOrientationIndex)).toEqual(Array.from(a.preferredOrientationIndex));
    for (const j of [0, 1, 3]) expect(b.orientationSkewness[j]).toBeCloseTo(a.orientationSkewness[j]!, 12);
  });

  it("gratingTuning rejects a row count other than the number of gratings, negative responses and an incomplete grid", () => {
    expect(() => gratingTuning({ data: new Float64Array(10), rows: 10, cols: 1 }, g)).toThrow(
      "gratingTuning: responses have 10 rows but gratings.orientationIndex describes 432 images",
    );
    const r = responses();
    r[7 * C + 1] = -0.25;
    expect(() => gratingTuning({ data: r, rows: 432, cols: C }, g)).toThrow(
      "gratingTuning: response of channel 1 to grating 7 is -0.25; expected responses >= 0",
    );
    const dup = { ...g, phaseIndex: Int32Array.from(g.phaseIndex, (p, n) => (n === 1 ? 0 : p)) };
    expect(() => gratingTuning({ data: responses(), rows: 432, cols: C }, dup)).toThrow(
      "gratingTuning: gratings 0 and 1 share (orientation 0, frequency 0, phase 0); expected each combination exactly once",
    );
    expect(() => gratingTuning({ data: responses(), rows: 432, cols: C }, g, { threshold: -1 })).toThrow(
      "gratingTuning: threshold must be a finite number >= 0; got -1",
    );
  });

  it("gratingTuning on a template-matching model fed gratingSet() images through centreResponses / collectResponses prefers the template's grating", async () => {
    // A toy "network": channel j's map is constant, ReLU(<image, template_j>), for 2 time steps.
    const full = gratingSet(); // 432 × 32 × 32 × 3, standardised (all images have the same norm)
    const features = 32 * 32 * 3;
    const templates = [17, 250, 431]; // grating indices
    const respond = (start: number, end: number) => {
      const n = end - start;
      const step = new Float32Array(n * 3 * 3 * templates.length); // [n, 3, 3, C]
      for (let i = 0; i < n; i++) {
        templates.forEach((t, j) => {
          let dot = 0;
          for (let e = 0; e < features; e++) dot += full.images[(start + i) * features + e]! * full.images[t * features + e]!;
          for (let s = 0; s < 9; s++) step[(i * 9 + s) * templates.length + j] = Math.max(0, dot / features);
        });
      }
      const map = { data: step, shape: [n, 3, 3, templates.length] };
      return centreResponses([map, map]);
    };
    const r = await collectResponses(432, 100, respond);
    const t = gratingTuning(r, full);
    templates.forEach((tpl, j) => {
      expect(t.preferredOrientationIndex[j]).toBe(full.orientationIndex[tpl]);
      expect(t.preferredFrequencyIndex[j]).toBe(full.frequencyIndex[tpl]);
      expect(t.preferredPhaseIndex[j]).toBe(full.phaseIndex[tpl]);
      expect(t.gosi[j]).toBeGreaterThan(0.5);
    });
    expect(t.silent.length).toBe(0);
  });
});
