import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRunRecords } from "./read-run-records.js";
import { fixtureRecords, makeRecord, toJsonl } from "./internal/test-records.js";

describe("readRunRecords", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "dale-report-read-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const file = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };
  const good = makeRecord({ dataset: "mnist", model: "dann", seed: 0, learningRate: 0.1107 });
  const line = JSON.stringify(good);

  it("readRunRecords(file) returns every row, skipping blank lines; null errors read as NaN", async () => {
    const records = fixtureRecords();
    const text = toJsonl(records.slice(0, 3)) + "\n  \n" + toJsonl(records.slice(3));
    const { records: got, skippedLines, duplicateRunIds } = readRunRecords(await file("ok.jsonl", text));
    expect(got).toHaveLength(records.length);
    expect(skippedLines).toBe(0);
    expect(duplicateRunIds).toEqual([]);
    expect(got[0]).toEqual(records[0]);
    const nan = got.find((r) => r.learningRate === 5);
    expect(nan?.finalEvalError).toBeNaN();
    expect(nan?.diverged).toEqual({ update: 17, reason: "loss is NaN" });
  });

  it("readRunRecords ignores a truncated last line and counts it", async () => {
    const text = `${line}\n${line.replace("seed=0", "seed=1").replace('"seed":0', '"seed":1')}\n${line.slice(0, 57)}`;
    const { records, skippedLines } = readRunRecords(await file("trunc.jsonl", text));
    expect(records.map((r) => r.seed)).toEqual([0, 1]);
    expect(skippedLines).toBe(1);
    const crlf = readRunRecords(await file("crlf.jsonl", `${line}\r\n${line.slice(0, 10)}\r\n\r\n`));
    expect(crlf.records).toHaveLength(1);
    expect(crlf.skippedLines).toBe(1);
  });

  it("readRunRecords skips a truncated row in the middle (a resumed run started a fresh line after it)", async () => {
    const seed1 = JSON.stringify({ ...good, runId: "r1", seed: 1 });
    const { records, skippedLines } = readRunRecords(await file("mid.jsonl", `${line}\n${line.slice(0, 120)}\n${seed1}\n`));
    expect(records.map((r) => r.seed)).toEqual([0, 1]);
    expect(skippedLines).toBe(1);
  });

  it("readRunRecords throws on a malformed line that is not a truncated row, naming file and line", async () => {
    let path = await file("bad.jsonl", `${line}\n\n{"schema":1,"ex${line}\n${line}\n`);
    expect(() => readRunRecords(path)).toThrow(`${path}:3: line is not valid JSON`);
    path = await file("garbage-last.jsonl", `${line}\nnot json`);
    expect(() => readRunRecords(path)).toThrow(`${path}:2: line is not valid JSON`);
    path = await file("trailing.jsonl", `${line} x\n`);
    expect(() => readRunRecords(path)).toThrow(`${path}:1: line is not valid JSON`);
  });

  it("readRunRecords throws on a row with schema !== 1", async () => {
    const path = await file("schema.jsonl", `${line}\n${JSON.stringify({ ...good, schema: 2 })}\n`);
    expect(() => readRunRecords(path)).toThrow(`${path}:2: unsupported schema 2; this report reads schema 1 rows only`);
    const none = await file("noschema.jsonl", `{"runId":"x"}\n${line}\n`);
    expect(() => readRunRecords(none)).toThrow(/noschema\.jsonl:1: unsupported schema undefined/);
  });

  it("readRunRecords throws on invalid fields, naming the field, the value and the expectation", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ model: "resnet" }, /:1: model must be one of "mlp", .*; got "resnet"/],
      [{ dataset: "cifar10" }, /dataset must be one of "mnist", "kmnist", "fashion"; got "cifar10"/],
      [{ finalEvalError: 1.44 }, /finalEvalError must be an error fraction in \[0, 1\] or null \(a fraction, not percent\); got 1.44/],
      [{ learningRate: 0 }, /learningRate must be a finite number > 0; got 0/],
      [{ evalCurve: [{ update: 1.5, error: 0.1 }] }, /evalCurve\[0\]\.update must be an integer >= 0; got 1.5/],
      [{ trainErrorPerEpoch: "x" }, /trainErrorPerEpoch must be an array/],
      [{ experiment: "rnn" }, /experiment must be "ffwd"; got "rnn"/],
      [{ runId: "" }, /runId must be a non-empty string; got ""/],
      [{ diverged: { update: 3 } }, /diverged\.reason must be a string; got undefined \(missing\)/],
    ];
    for (const [patch, message] of cases) {
      const path = await file("field.jsonl", `${JSON.stringify({ ...good, ...patch })}\n${line}\n`);
      expect(() => readRunRecords(path)).toThrow(message);
    }
    const arr = await file("array.jsonl", `[1,2]\n${line}\n`);
    expect(() => readRunRecords(arr)).toThrow(/array\.jsonl:1: row must be a JSON object; got \[1,2\]/);
  });

  it("readRunRecords keeps the last row of a repeated runId", async () => {
    const again = JSON.stringify({ ...good, finalEvalError: 0.5 });
    const other = JSON.stringify(makeRecord({ dataset: "mnist", model: "mlp", seed: 0, learningRate: 0.2976 }));
    const { records, duplicateRunIds } = readRunRecords(await file("dup.jsonl", `${line}\n${other}\n${again}\n`));
    expect(records.map((r) => [r.model, r.finalEvalError])).toEqual([["dann", 0.5], ["mlp", 0.1]]);
    expect(duplicateRunIds).toEqual([good.runId]);
  });

  it("readRunRecords of a missing file throws naming the path; an empty file has no rows", async () => {
    const missing = join(dir, "nope.jsonl");
    expect(() => readRunRecords(missing)).toThrow(`cannot read results file ${missing} (no such file`);
    expect(readRunRecords(await file("empty.jsonl", ""))).toEqual({ records: [], skippedLines: 0, duplicateRunIds: [] });
  });
});
