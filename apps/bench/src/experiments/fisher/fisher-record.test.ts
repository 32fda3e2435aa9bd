import { describe, expect, it } from "vitest";
import { validateFisherRecord, type FisherRecord } from "./fisher-record.js";
import { fisherRecordFixture } from "./fisher-record-fixture.js";


describe("validateFisherRecord", () => {
  it("validateFisherRecord(record) returns a valid record as it is, a diverged one with testError null too", () => {
    const r = fisherRecordFixture();
    expect(validateFisherRecord(JSON.parse(JSON.stringify(r)), "row 1")).toEqual(r);
    const diverged = fisherRecordFixture({ testError: null, diverged: { update: 3, reason: "loss became NaN" } });
    expect(validateFisherRecord(diverged, "row 2").testError).toBeNull();
    // Cosines are null where a layer had no finite value yet (JSON has no NaN).
    const nulls = fisherRecordFixture();
    nulls.layers[0]!.curve[0] = { update: 2, raw: null, corrected: null };
    expect(() => validateFisherRecord(nulls, "row 3")).not.toThrow();
  });

  it("validateFisherRecord names the field and the value that do not fit", () => {
    const base = fisherRecordFixture();
    const withLayer = (change: (l: FisherRecord["layers"][number]) => void): FisherRecord => {
      const r = JSON.parse(JSON.stringify(base)) as FisherRecord;
      change(r.layers[1]!);
      return r;
    };
    const cases: Array<[unknown, RegExp]> = [
      [[1, 2], /^row: row must be a JSON object; got \[1,2\]$/],
      [{ ...base, experiment: "ffwd" }, /experiment must be "fisher"; got "ffwd"/],
      [{ ...base, model: "mlp" }, /model must be "dann" or "dann-1i"; got "mlp"/],
      [{ ...base, alignEvery: 0 }, /alignEvery must be an integer >= 1; got 0/],
      [{ ...base, learningRate: -1 }, /learningRate must be a number > 0; got -1/],
      [{ ...base, fisher: { lambda: 1 } }, /fisher must be \{ lambda, momentum, eps, normalise \}/],
      [{ ...base, layers: [] }, /layers must be a non-empty array; got \[\]/],
      [withLayer((l) => (l.layer = 3)), /layers\[1\]\.layer must be 2; got 3/],
      [withLayer((l) => (l.units = 0)), /layers\[1\]\.units must be an integer >= 1; got 0/],
      [withLayer((l) => (l.curve[1]!.corrected = 1.5)), /layers\[1\]\.curve must be an array of \{ update >= 1, raw, corrected: cosines in \[-1, 1\] or null \}/],
      [withLayer((l) => (l.curve[1]!.update = 2)), /layers\[1\]\.curve must be in increasing update order; got \[2,2,6,8\]/],
      [withLayer((l) => (l.epochMeans[1]!.epoch = 3)), /layers\[1\]\.epochMeans must be an array of \{ epoch in 1\.\.2/],
      [{ ...base, testError: null }, /testError must be an error rate in \[0, 1\]; got null/],
      [{ ...base, testError: 2 }, /testError must be an error rate in \[0, 1\]; got 2/],
      [{ ...base, evalCurve: [{ update: 0, error: -1 }] }, /evalCurve must be an array of \{ update, error in \[0, 1\] \}/],
    ];
    for (const [value, pattern] of cases) expect(() => validateFisherRecord(value, "row")).toThrow(pattern);
  });
});
