#!/usr/bin/env node
// Finds the directories holding OpenBLAS's cblas.h, portably: `pkg-config --cflags-only-I
// openblas` first (Debian / Ubuntu on any architecture, Fedora, Homebrew with PKG_CONFIG_PATH),
// then the usual places for this machine's multiarch triplet, then generic prefixes.
// Run directly it prints the directories separated by spaces, for binding.gyp's
// "<!@(node scripts/openblas-include-dirs.mjs)"; build-addon.mjs imports findOpenBlasIncludeDirs().
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ARCH_TRIPLETS = { x64: "x86_64-linux-gnu", arm64: "aarch64-linux-gnu", arm: "arm-linux-gnueabihf", ppc64: "powerpc64le-linux-gnu", s390x: "s390x-linux-gnu", riscv64: "riscv64-linux-gnu" };

function run(command, args) {
  const result = spawnSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  return result.status === 0 ? result.stdout.trim() : "";
}

/** The include directories that contain cblas.h, best first; empty when OpenBLAS headers are missing. */
export function findOpenBlasIncludeDirs() {
  const fromPkgConfig = run("pkg-config", ["--cflags-only-I", "openblas"])
    .split(/\s+/)
    .filter((flag) => flag.startsWith("-I"))
    .map((flag) => flag.slice(2).replace(/\/$/, ""));
  const triplet = run("gcc", ["-print-multiarch"]) || ARCH_TRIPLETS[process.arch] || "";
  const candidates = [
    ...fromPkgConfig,
    ...(triplet ? ["openblas-pthread", "openblas-openmp", "openblas-serial", ""].map((flavour) => join("/usr/include", triplet, flavour)) : []),
    "/usr/include/openblas",
    "/usr/local/include/openblas",
    "/usr/local/opt/openblas/include",
    "/opt/homebrew/opt/openblas/include",
    "/usr/include",
    "/usr/local/include",
  ];
  return [...new Set(candidates)].filter((dir) => existsSync(join(dir, "cblas.h")));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // Only the first: two cblas.h on the include path would be ambiguous.
  console.log(findOpenBlasIncludeDirs().slice(0, 1).join(" "));
}
