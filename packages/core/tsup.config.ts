import { defineConfig } from "tsup";

export default defineConfig({
  // Two entries: the root (needs @tensorflow/tfjs-core) and ./validation (plain JavaScript, no
  // tfjs), so that packages working on plain arrays (ei-init, spectra) share the helpers without
  // loading tfjs.
  entry: { index: "src/index.ts", validation: "src/validation/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  external: [/^@tensorflow\//, /^@dale-nn\//],
});
