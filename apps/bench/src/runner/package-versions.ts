import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: Record<string, string> | null = null;

/**
 * The versions of the @dale-nn packages dale-bench runs on, read from their package.json files
 * (found in node_modules above this file), e.g. { "@dale-nn/train": "0.1.0", ... }; plus
 * "@dale-nn/bench". A package that cannot be found is left out.
 *
 * @example
 * daleNnVersions()["@dale-nn/train"]; // "0.0.0"
 */
export function daleNnVersions(): Record<string, string> {
  if (cached) return cached;
  const versions: Record<string, string> = {};
  let dir = dirname(fileURLToPath(import.meta.url));
  const read = (file: string): { name?: string; version?: string; dependencies?: Record<string, string> } | null => {
    try {
      return JSON.parse(readFileSync(file, "utf8"));
    } catch {
      return null;
    }
  };
  // The bench's own package.json: the first one above this file.
  let own: ReturnType<typeof read> = null;
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, "package.json"))) {
      own = read(join(d, "package.json"));
      dir = d;
      break;
    }
    if (dirname(d) === d) break;
  }
  if (own?.name && own.version) versions[own.name] = own.version;
  for (const name of Object.keys(own?.dependencies ?? {}).filter((n) => n.startsWith("@dale-nn/")).sort()) {
    for (let d = dir; ; d = dirname(d)) {
      const pkg = read(join(d, "node_modules", name, "package.json"));
      if (pkg?.version) {
        versions[name] = pkg.version;
        break;
      }
      if (dirname(d) === d) break;
    }
  }
  cached = versions;
  return versions;
}
