// What the demo's browser scripts share (scripts/e2e.mjs, scripts/profile-step.mjs): building dist/
// when it is missing, a small static server for it on 127.0.0.1 (free port), and Debian's headless
// Chromium driven by playwright-core with a fresh, empty user-data dir. Never downloads a browser.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

/** apps/demo. */
export const DEMO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** The built app: apps/demo/dist, or $DEMO_DIST (another build, e.g. of an earlier commit; never built here). */
export const DIST = process.env.DEMO_DIST ? resolve(process.env.DEMO_DIST) : join(DEMO_ROOT, "dist");
/** The Chromium binary: $CHROMIUM, else Debian's /usr/bin/chromium. */
export const CHROMIUM_PATH = process.env.CHROMIUM ?? "/usr/bin/chromium";

/**
 * Headless, no network side channels, software WebGL through ANGLE's SwiftShader (the GPU process
 * is disabled; WebGL 2 is still offered in software), plus $E2E_CHROMIUM_ARGS.
 */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  "--use-angle=swiftshader",
  "--enable-unsafe-swiftshader",
  ...(process.env.E2E_CHROMIUM_ARGS ? process.env.E2E_CHROMIUM_ARGS.split(/\s+/).filter(Boolean) : []),
];

/** The files of dist/ the scripts need; a build is run when one is missing. */
const REQUIRED = ["index.html", "profile.html", "mnist-subset.bin"];

/**
 * Runs `npm run build` in apps/demo when `rebuild` is set or a file the scripts need is missing
 * ($DEMO_DIST is only checked, never built).
 * @returns false when the build failed or $DEMO_DIST is incomplete
 */
export function ensureBuilt({ rebuild = false, log = console.log } = {}) {
  if (process.env.DEMO_DIST) {
    const missing = REQUIRED.filter((f) => !existsSync(join(DIST, f)));
    if (missing.length > 0) log(`DEMO_DIST ${DIST} lacks ${missing.join(", ")}; expected a built apps/demo/dist`);
    return missing.length === 0;
  }
  if (!rebuild && REQUIRED.every((f) => existsSync(join(DIST, f)))) return true;
  log(`${rebuild ? "rebuilding dist/" : "dist/ is missing or incomplete"}; running npm run build`);
  return spawnSync("npm", ["run", "build"], { cwd: DEMO_ROOT, stdio: "inherit" }).status === 0;
}

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".bin": "application/octet-stream", ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png" };

/**
 * Serves `dir` (default dist/) on 127.0.0.1 at a free port, without caching.
 * @returns `{ base, close }`: the base URL (ending in "/") and a function that stops the server
 */
export async function serveStatic(dir = DIST) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = normalize(join(dir, path.endsWith("/") ? `${path}index.html` : path));
    if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { base: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}

/**
 * Starts Chromium (CHROMIUM_PATH, CHROMIUM_ARGS) with a fresh user-data dir.
 * @returns `{ context, page, version, args, close }`; `close()` also removes the user-data dir
 */
export async function launchChromium({ viewport = { width: 1280, height: 900 } } = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), "dale-demo-chromium-"));
  let context;
  try {
    // playwright passes the user-data dir to Chromium as --user-data-dir.
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true, viewport, deviceScaleFactor: 1 });
  } catch (e) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw e;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const version = spawnSync(CHROMIUM_PATH, ["--version"], { encoding: "utf8" }).stdout.trim();
  const close = async () => {
    await context.close().catch(() => {});
    rmSync(userDataDir, { recursive: true, force: true });
  };
  return { context, page, version, args: CHROMIUM_ARGS, close };
}
