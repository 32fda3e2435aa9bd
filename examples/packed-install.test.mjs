// The packages as a user installs them: every publishable package of packages/* is packed with
// `npm pack` (what `npm publish` would upload), the tarballs are installed into an empty project
// together with @tensorflow/tfjs from the npm registry, and a DANN is trained there from an ES
// module and from a CommonJS script. Nothing from this checkout is visible to that project.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const exec = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** The publishable workspace packages: packages/* that are not private. */
function publishable() {
  return readdirSync(join(root, "packages"))
    .map((dir) => ({ dir: join(root, "packages", dir), manifest: JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8")) }))
    .filter((p) => !p.manifest.private);
}

const TRAIN = (load) => `${load}
const tf = lib("@tensorflow/tfjs");
const { buildPaperNetwork } = lib("@dale-nn/ei-layers");
const { ProjectedSGD, signViolations } = lib("@dale-nn/projected-sgd");
const { dannUpdateCorrection } = lib("@dale-nn/fisher-correction");
const { createRandomSource } = lib("@dale-nn/ei-init");
async function main() {
  await tf.setBackend("cpu");
  const rng = createRandomSource(1);
  const n = 256, d = 20, k = 4;
  const x = new Float32Array(n * d), y = new Int32Array(n);
  for (let i = 0; i < n; i++) { y[i] = rng.integer(k); for (let j = 0; j < d; j++) x[i * d + j] = 0.3 * rng.uniform() + (Math.floor(j / 5) === y[i] ? 0.7 : 0); }
  const xs = tf.tensor2d(x, [n, d]), ys = tf.oneHot(tf.tensor1d(y, "int32"), k);
  const model = buildPaperNetwork({ kind: "dann", seed: 0, inputs: d, hidden: [32], inhibitory: 4, outputs: k, inputMean: 0.4 });
  const opt = new ProjectedSGD({ learningRate: 0.1, transforms: [dannUpdateCorrection()] });
  const loss = () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs));
  const first = tf.tidy(() => loss().dataSync()[0]);
  for (let s = 0; s < 100; s++) tf.tidy(() => { opt.minimize(loss); });
  const last = tf.tidy(() => loss().dataSync()[0]);
  const violations = Object.values(signViolations(model)).reduce((a, b) => a + b, 0);
  process.stdout.write(JSON.stringify({ first, last, violations }) + "\\n");
}
main();
`;

describe("npm publish --dry-run of every publishable package", () => {
  it("npm publish --dry-run succeeds for each package with no warning but the missing login", async () => {
    for (const p of publishable()) {
      const { stderr } = await exec(npm, ["publish", "--dry-run", "--access", "public"], { cwd: p.dir, encoding: "utf8" });
      const warnings = stderr.split("\n").filter((l) => /\bwarn\b/i.test(l) && !/requires you to be logged in/.test(l));
      expect({ package: p.manifest.name, warnings }).toEqual({ package: p.manifest.name, warnings: [] });
      expect(stderr).toContain(`${p.manifest.name}@${p.manifest.version}`);
    }
  }, 300_000);
});

describe("the packed packages installed into an empty project", () => {
  let work;
  let project;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "dale-packed-"));
    project = join(work, "project");
    const tarballs = [];
    for (const p of publishable()) {
      const { stdout } = await exec(npm, ["pack", "--json", "--pack-destination", work], { cwd: p.dir, encoding: "utf8" });
      tarballs.push(join(work, JSON.parse(stdout)[0].filename));
    }
    const tfjs = JSON.parse(readFileSync(join(root, "packages", "ei-layers", "package.json"), "utf8")).peerDependencies["@tensorflow/tfjs-core"];
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, version: "1.0.0" }));
    await exec(npm, ["install", "--no-audit", "--no-fund", "--prefer-offline", ...tarballs, `@tensorflow/tfjs@${tfjs}`], { cwd: project, encoding: "utf8" });
  }, 600_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("an ES module (import) trains a DANN: the loss falls and no excitatory weight turns negative", async () => {
    writeFileSync(join(project, "train.mjs"), TRAIN(`import * as tfjs from "@tensorflow/tfjs"; import * as layers from "@dale-nn/ei-layers"; import * as sgd from "@dale-nn/projected-sgd"; import * as fc from "@dale-nn/fisher-correction"; import * as init from "@dale-nn/ei-init";
const mods = { "@tensorflow/tfjs": tfjs, "@dale-nn/ei-layers": layers, "@dale-nn/projected-sgd": sgd, "@dale-nn/fisher-correction": fc, "@dale-nn/ei-init": init };
const lib = (name) => mods[name];`));
    const { stdout } = await exec(process.execPath, ["train.mjs"], { cwd: project, encoding: "utf8" });
    const r = JSON.parse(stdout.trim().split("\n").at(-1));
    expect(r.last).toBeLessThan(0.5 * r.first);
    expect(r.violations).toBe(0);
  });

  it("a CommonJS script (require) trains the same DANN to the same loss", async () => {
    writeFileSync(join(project, "train.cjs"), TRAIN(`const lib = (name) => require(name);`));
    const cjs = JSON.parse((await exec(process.execPath, ["train.cjs"], { cwd: project, encoding: "utf8" })).stdout.trim().split("\n").at(-1));
    const esm = JSON.parse((await exec(process.execPath, ["train.mjs"], { cwd: project, encoding: "utf8" })).stdout.trim().split("\n").at(-1));
    expect(cjs.violations).toBe(0);
    expect(cjs.last).toBe(esm.last);
  });
});
