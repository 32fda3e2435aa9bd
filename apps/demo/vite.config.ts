import { defineConfig } from "vite";

export default defineConfig({
  // Relative asset URLs: dist/ works from any folder or static host.
  base: "./",
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
    // tfjs is large by nature; the demo loads it once.
    chunkSizeWarningLimit: 3000,
  },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});
