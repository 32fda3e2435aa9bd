#!/usr/bin/env node
// Builds the optional OpenBLAS addon with node-gyp at install time. It never fails the install:
// when OpenBLAS headers or the compiler are missing it prints one line and leaves the package in
// its JavaScript-only state (registerOpenBlasBackend() then reports why and returns false).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findOpenBlasIncludeDirs } from "./openblas-include-dirs.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const notice = (why) => console.log(`@dale-nn/openblas: addon not built (${why}); the plain tfjs CPU backend and JavaScript solvers stay in use`);

if (process.env.DALE_OPENBLAS_SKIP_BUILD === "1") {
  notice("DALE_OPENBLAS_SKIP_BUILD=1");
  process.exit(0);
}
if (findOpenBlasIncludeDirs().length === 0) {
  notice("OpenBLAS headers not found: apt-get install libopenblas-dev");
  process.exit(0);
}

// npm ships node-gyp; lifecycle scripts see its path in npm_config_node_gyp.
let gyp = process.env.npm_config_node_gyp;
if (!gyp || !existsSync(gyp)) {
  try {
    const npmDir = dirname(createRequire(import.meta.url).resolve("npm/package.json"));
    gyp = join(npmDir, "node_modules/node-gyp/bin/node-gyp.js");
  } catch {
    const guess = join(dirname(process.execPath), "../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js");
    gyp = existsSync(guess) ? guess : undefined;
  }
}
if (!gyp) {
  notice("node-gyp not found");
  process.exit(0);
}
const args = [gyp, "rebuild"];
// Build against the machine's own Node headers when they are installed (nothing is downloaded).
if (!process.env.npm_config_nodedir && existsSync("/usr/include/node/node_api.h")) args.push("--nodedir=/usr");
const result = spawnSync(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
if (result.status !== 0) {
  const lastLines = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n").slice(-5).join(" | ");
  notice(`node-gyp failed: ${lastLines}`);
  process.exit(0);
}
console.log("@dale-nn/openblas: built build/Release/dale_openblas.node against OpenBLAS");
