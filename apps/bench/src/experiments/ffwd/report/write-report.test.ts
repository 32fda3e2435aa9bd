import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeReport } from "./write-report.js";
import { fixtureRecords, svgProblem, toJsonl } from "./internal/test-records.js";

describe("writeReport", () => {
  let root = "";
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "dale-report-write-"));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("writeReport(dir) writes report.md and the SVGs from dir/results.jsonl", async () => {
    const dir = join(root, "ffwd-quick");
    await mkdir(dir);
    const jsonl = toJsonl(fixtureRecords());
    await writeFile(join(dir, "results.jsonl"), `${jsonl}${jsonl.split("\n")[0]?.slice(0, 40)}`);

    const result = await writeReport(dir);
    expect(result).toEqual({
      markdownPath: join(dir, "report.md"),
      plotPaths: ["test-error-mnist.svg", "train-error-mnist.svg", "test-error-kmnist.svg", "train-error-kmnist.svg"].map((f) => join(dir, f)),
      runs: 11,
      skippedLines: 1,
    });
    expect((await readdir(dir)).sort()).toEqual(
      ["report.md", "results.jsonl", "test-error-kmnist.svg", "test-error-mnist.svg", "train-error-kmnist.svg", "train-error-mnist.svg"],
    );
    const md = await readFile(result.markdownPath, "utf8");
    expect(md.startsWith("# Feedforward results: ffwd-quick\n")).toBe(true);
    expect(md).toContain("| mlp | quick | 0.2976 | 3 | 2 | 2.000 ± 1.000 | 3.000 ± 1.000 | 0.0 ± 0.0 | 1.44 ± 0.034 |");
    expect(md).toContain("(test-error-mnist.svg)");
    expect(md).toContain("(train-error-kmnist.svg)");
    expect(md).toContain("1 truncated row");
    for (const path of result.plotPaths) {
      const svg = await readFile(path, "utf8");
      expect(svgProblem(svg), path).toBeUndefined();
    }
    expect(await readFile(join(dir, "test-error-mnist.svg"), "utf8")).toContain(">dann<");

    // a second report replaces the files and leaves no temporary files behind
    const again = await writeReport(dir, { title: "Again" });
    expect(again.runs).toBe(11);
    expect((await readFile(again.markdownPath, "utf8")).startsWith("# Again\n")).toBe(true);
    expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("writeReport of a missing directory or results file throws naming the path", async () => {
    const missing = join(root, "nope");
    await expect(writeReport(missing)).rejects.toThrow(`results directory ${missing} does not exist`);
    const empty = join(root, "empty");
    await mkdir(empty);
    await expect(writeReport(empty)).rejects.toThrow(`${join(empty, "results.jsonl")} does not exist`);
    const notDir = join(root, "file.txt");
    await writeFile(notDir, "x");
    await expect(writeReport(notDir)).rejects.toThrow(`${notDir} is not a directory`);
  });

  it("writeReport leaves no report when the results are malformed", async () => {
    const dir = join(root, "bad");
    await mkdir(dir);
    await writeFile(join(dir, "results.jsonl"), `not json\n${toJsonl(fixtureRecords())}`);
    await expect(writeReport(dir)).rejects.toThrow(/results\.jsonl:1: line is not valid JSON/);
    expect(await readdir(dir)).toEqual(["results.jsonl"]);
  });

  it("writeReport of an empty results file writes a report with no plots", async () => {
    const dir = join(root, "none");
    await mkdir(dir);
    await writeFile(join(dir, "results.jsonl"), "");
    const result = await writeReport(dir);
    expect(result.plotPaths).toEqual([]);
    expect(result.runs).toBe(0);
    expect(await readFile(result.markdownPath, "utf8")).toContain("No runs to report.");
  });
});
