import { defineConfig } from "vitest/config";

// Unit tests only: pure helpers and tfjs on its CPU backend, no browser. The browser end-to-end test is
// scripts/e2e.mjs (`npm run e2e -w apps/demo`), which the repo's `npm test` does not run.
export default defineConfig({
  test: {
    name: "@dale-nn/demo",
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
