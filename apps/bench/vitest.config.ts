import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "@dale-nn/bench",
    include: ["src/**/*.test.ts"],
    testTimeout: 300_000,
  },
});
