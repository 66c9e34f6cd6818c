// The customer portal (portal.html, served under /portal/) is built on its own, after the
// workspace and into the same dist/: the two pages share no chunk, so the workspace's bundle is
// exactly what it is without the portal, and the portal never loads the workspace's code.
import { defineConfig, mergeConfig } from "vite";
import base from "./vite.config";

export default mergeConfig(
  base,
  defineConfig({
    build: {
      emptyOutDir: false,
      rollupOptions: { input: { portal: "portal.html" } },
    },
  }),
);
