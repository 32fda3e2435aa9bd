import { defineConfig } from "tsup";

// ESM only: vitest cannot be require()d, so a CommonJS build of these hooks could never run.
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  external: [/^@tensorflow\//, "vitest"],
});
