/// <reference types="vitest/config" />
import { fileURLToPath, URL } from "node:url";

import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The SPA is served cross-origin to the API (:8000) and the identity provider (:8400), as in production:
// no dev proxy, so CORS is exercised locally too.
export default defineConfig({
  plugins: [react(), tailwindcss()],
  resolve: {
    alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) },
  },
  server: { host: "127.0.0.1", port: 3000, strictPort: true },
  preview: { host: "127.0.0.1", port: 3000, strictPort: true },
  build: {
    // scripts/check-bundle-budget.mjs reads the manifest to measure the initial JavaScript.
    manifest: true,
    // Maps for error tooling, without a sourceMappingURL comment that would advertise them to every visitor.
    sourcemap: "hidden",
  },
  test: {
    // Worker threads start jsdom faster than forked processes here.
    pool: "threads",
    restoreMocks: true,
    unstubGlobals: true,
    projects: [
      {
        extends: true,
        test: { name: "app", environment: "jsdom", setupFiles: ["./src/test/setup.ts"], include: ["src/**/*.test.{ts,tsx}"] },
      },
      { extends: true, test: { name: "scripts", environment: "node", include: ["scripts/**/*.test.mjs"] } },
    ],
  },
});
