import { fileURLToPath } from "node:url";
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
    // The demo, and the training-step profile page of scripts/profile-step.mjs.
    rollupOptions: { input: { main: fileURLToPath(new URL("index.html", import.meta.url)), profile: fileURLToPath(new URL("profile.html", import.meta.url)) } },
  },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});
