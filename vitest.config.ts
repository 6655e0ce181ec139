import { defineConfig } from "vitest/config";

// Two projects: unit tests need nothing but Node; e2e tests drive the real engine and are
// never skipped in CI (see test/e2e/engine.ts).
export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["test/unit/**/*.test.ts"], setupFiles: ["test/helpers/cleanup.ts"] } },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 30 * 60_000,
          hookTimeout: 30 * 60_000,
          fileParallelism: false,
          setupFiles: ["test/helpers/cleanup.ts"],
        },
      },
    ],
  },
});
