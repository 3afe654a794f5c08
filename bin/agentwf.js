#!/usr/bin/env -S node --no-node-snapshot
// Thin launcher. isolated-vm needs Node's startup snapshot off (--no-node-snapshot) on Node 20+;
// the shebang passes the flag when agentwf runs as a command, and `node bin/agentwf.js` without it
// is started once more with it.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const entry = new URL("../dist/cli/entry.js", import.meta.url);
const hasFlag = process.execArgv.includes("--no-node-snapshot") || /(^|\s)--no-node-snapshot(\s|$)/.test(process.env.NODE_OPTIONS ?? "");

if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write("agentwf: the CLI is not built: run `npm install` (or `npm run build`) in the agentwf folder first\n");
  process.exit(2);
} else if (!hasFlag) {
  const { execa } = await import("execa");
  // Signals reach the child through the terminal's process group; the launcher just waits.
  process.on("SIGINT", () => {});
  process.on("SIGTERM", () => {});
  const child = await execa(process.execPath, ["--no-node-snapshot", ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: "inherit",
    reject: false,
  });
  process.exit(child.exitCode ?? (child.signal ? 128 + (child.signal === "SIGINT" ? 2 : 15) : 1));
} else {
  await import(entry.href);
}
