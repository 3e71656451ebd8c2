/// <reference types="vitest/config" />
import path from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { relayArtifacts } from "./vite/relay-artifacts.ts";

const root = import.meta.dirname;
// Where `npm run dev` sends the API: the gateway (`make run`) on its default port. Set
// TALLY_API_URL to point elsewhere; the gateway must list the dev server's origin in
// TALLY_CORS_ORIGINS (e.g. http://localhost:5173).
function apiUrl(command: "build" | "serve"): string {
  const given = process.env.TALLY_API_URL;
  if (given) return `${given.replace(/\/$/, "")}/graphql`;
  // A build is served by the gateway itself: same origin, no CORS.
  return command === "serve" ? "http://127.0.0.1:8000/graphql" : "";
}

export default defineConfig(({ command }) => ({
  plugins: [relayArtifacts(path.join(root, "src/__generated__")), react()],
  define: {
    __TALLY_API_URL__: JSON.stringify(apiUrl(command)),
  },
  build: {
    target: "es2022",
    sourcemap: true,
    manifest: true,
    // GraphiQL (development only, never on the first page) is one large chunk; the app's own
    // budget is checked by scripts/report-bundle-size.mjs.
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      // Two pages: the app at / and GraphiQL, which the gateway serves at /graphql in development.
      onLog(level, log, handler) {
        // graphiql's React Compiler runtime carries a "use no memo" directive bundling drops: harmless.
        if (log.code === "MODULE_LEVEL_DIRECTIVE") return;
        handler(level, log);
      },
      input: {
        app: path.join(root, "index.html"),
        graphiql: path.join(root, "graphiql.html"),
      },
    },
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
    // Typing into forms through user-event takes seconds on a busy 2-core machine: a test is
    // judged on what it sees, not on the default 5 s.
    testTimeout: 20_000,
  },
}));
