import "@tensorflow/tfjs"; // registers the backends whose tensors the leak check counts
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { CtEiRnn } from "./ct-ei-rnn-layer.js";
import { daleCompliance } from "./dale-compliance.js";

// Columns E, E, I (post x pre): a pure Dale matrix with a zero and no autapses.
const DALE = [
  [0, 2, -1],
  [1, 0, -3],
  [3, 0, 0],
];

describe("daleCompliance", () => {
  useBackendWithLeakCheck("cpu", { disposeVariables: true });

  it("daleCompliance(pure Dale, { types: 2 }) is 0 everywhere", () => {
    const c = daleCompliance(DALE, { types: 2 });
    expect(c).toMatchObject({ rows: 3, columns: 3, activeColumns: 3, mixedColumns: 0, mixedColumnFraction: 0, meanColumnMinorityShare: 0, minorityMassShare: 0 });
    expect(Array.from(c.columnMinorityShare)).toEqual([0, 0, 0]);
    expect(c.wrongSign).toMatchObject({ massShare: 0, excitatoryMassShare: 0, inhibitoryMassShare: 0, columns: 0 });
  });

  it("daleCompliance with column 1 flipped: not mixed, but its mass (2 of 10) is wrong for an E column", () => {
    const w = DALE.map((r) => [r[0]!, -r[1]!, r[2]!]);
    const c = daleCompliance(w, { types: [1, 1, -1] });
    expect([c.mixedColumns, c.minorityMassShare]).toEqual([0, 0]);
    expect(c.wrongSign!.massShare).toBe(2 / 10);
    expect(c.wrongSign!.excitatoryMassShare).toBe(2 / 6);
    expect(c.wrongSign!.inhibitoryMassShare).toBe(0);
    expect(Array.from(c.wrongSign!.columnShare)).toEqual([0, 1, 0]);
    expect(c.wrongSign!.columns).toBe(1);
  });

  it("daleCompliance with mixed columns gives the exact fractions per column and over the matrix", () => {
    // Column 0 (E): +3, −1 → minority 1/4, wrong 1/4; column 1 (E): pure; column 2 (I): −1, +3 → minority 1/4, wrong 3/4.
    const w = [
      [3, 2, -1],
      [-1, 0, 3],
      [0, 0, 0],
    ];
    const c = daleCompliance(w, { types: ["E", "E", "I"] });
    expect([c.activeColumns, c.mixedColumns, c.mixedColumnFraction]).toEqual([3, 2, 2 / 3]);
    expect(Array.from(c.columnMinorityShare)).toEqual([0.25, 0, 0.25]);
    expect(c.meanColumnMinorityShare).toBeCloseTo(0.5 / 3, 15);
    expect(c.minorityMassShare).toBe(2 / 10);
    expect(c.wrongSign!.massShare).toBe(4 / 10);
    expect(c.wrongSign!.excitatoryMassShare).toBe(1 / 6);
    expect(c.wrongSign!.inhibitoryMassShare).toBe(3 / 4);
    expect(Array.from(c.wrongSign!.columnShare)).toEqual([0.25, 0, 0.75]);
    // The same types as n_e and as signs; without types, no wrong-sign part.
    expect(daleCompliance(w, { types: 2 }).wrongSign).toEqual(c.wrongSign);
    expect(daleCompliance({ data: w.flat(), rows: 3, cols: 3 }, { types: Float32Array.from([1, 1, -1]) }).wrongSign).toEqual(c.wrongSign);
    expect(daleCompliance(w).wrongSign).toBeNull();
  });

  it("daleCompliance ignores |w| <= tolerance and counts empty columns as inactive", () => {
    const w = [
      [1, 0, 1e-9],
      [-1e-9, 0, 2],
    ];
    expect(daleCompliance(w)).toMatchObject({ activeColumns: 2, mixedColumns: 1, mixedColumnFraction: 0.5 });
    const c = daleCompliance(w, { tolerance: 1e-6 });
    expect([c.activeColumns, c.mixedColumns, c.mixedColumnFraction, c.minorityMassShare]).toEqual([2, 0, 0, 0]);
    expect(daleCompliance([[0, 0]])).toMatchObject({ activeColumns: 0, mixedColumnFraction: 0, minorityMassShare: 0 });
  });

  it("daleCompliance(CtEiRnn effective W_rec): 0 wrong sign for 'dale', mixed columns for 'free' and for a mixture at a0 = 0.5", () => {
    const measure = (kind: "dale" | "free" | "mixture"): ReturnType<typeof daleCompliance> => {
      const rnn = new CtEiRnn({ units: 20, outputs: 2, kind, seed: 3, mixing: { a0: 0.5 } });
      rnn.build([null, 4, 3]);
      const w = rnn.effectiveRecurrentWeight();
      const c = daleCompliance(w, { types: rnn.ne });
      w.dispose();
      return c;
    };
    const dale = measure("dale");
    expect([dale.mixedColumns, dale.minorityMassShare, dale.wrongSign!.massShare]).toEqual([0, 0, 0]);
    const free = measure("free");
    expect(free.mixedColumnFraction).toBeGreaterThan(0.9);
    expect(free.wrongSign!.massShare).toBeGreaterThan(0.3);
    const mix = measure("mixture");
    expect(mix.mixedColumnFraction).toBeGreaterThan(0.5);
    expect(mix.wrongSign!.massShare).toBeGreaterThan(0);
    expect(mix.wrongSign!.massShare).toBeLessThan(free.wrongSign!.massShare);
  });

  it("daleCompliance refuses bad types, tolerance and matrices with one line naming the value", () => {
    expect(() => daleCompliance(DALE, { types: 4 })).toThrow("daleCompliance: types as n_e must be an integer in [0, 3] (the matrix has 3 columns); got 4");
    expect(() => daleCompliance(DALE, { types: [1, -1] })).toThrow("daleCompliance: types has 2 entries; expected one per presynaptic column (3)");
    expect(() => daleCompliance(DALE, { types: [1, 0, -1] })).toThrow('daleCompliance: types[1] must be +1 / "E" (excitatory) or −1 / "I" (inhibitory); got 0');
    expect(() => daleCompliance(DALE, { tolerance: -1 })).toThrow("daleCompliance: tolerance must be a finite number >= 0; got -1");
    expect(() => daleCompliance([[1, Number.NaN]])).toThrow("daleCompliance: matrix has a non-finite entry NaN at (0, 1); expected a finite number");
    expect(() => daleCompliance([])).toThrow(/^daleCompliance: matrix must be non-empty/);
  });
});
