import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    // Fixture repositories contain files named like tests; they are data, not tests.
    exclude: ["test/fixtures/**", "node_modules/**"],
    // isolated-vm needs --no-node-snapshot on Node 20+; forks let us pass it to each worker.
    pool: "forks",
    poolOptions: { forks: { execArgv: ["--no-node-snapshot"] } },
    // End-to-end tests spawn the CLI; on a loaded two-core machine they need room.
    testTimeout: 60_000,
    reporters: ["default", "./test/helpers/plain-summary-reporter.ts"],
    // One temporary folder per run, removed at its end (test/helpers/temp-root.ts).
    globalSetup: ["./test/helpers/temp-root.ts"],
    hookTimeout: 30_000,
  },
});
