import { defineConfig } from "vitest/config";

// One run over every package (each keeps its own vitest.config.ts); `npm test` uses this.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "examples"],
    reporters: ["default", "./scripts/summary-reporter.ts"],
  },
});
