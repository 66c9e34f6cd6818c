/// <reference types="vitest/config" />
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

// `npm run dev` serves the app with hot reload and forwards /api to a running
// `steadfast serve` (STEADFAST_URL, default http://127.0.0.1:8080), so the session cookie
// and the CSRF header work exactly as they do on the real origin.
const api = process.env.STEADFAST_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [preact({ prerender: { enabled: false } })],
  server: {
    port: 5173,
    strictPort: false,
    proxy: {
      "/api": { target: api, changeOrigin: false },
    },
  },
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: false,
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
  test: {
    environment: "happy-dom",
    include: ["test/**/*.test.{ts,tsx}"],
    restoreMocks: true,
    setupFiles: ["test/setup.ts"],
  },
});
