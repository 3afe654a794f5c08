#!/usr/bin/env node
// Thin launcher. isolated-vm needs Node's startup snapshot off (--no-node-snapshot), but only in
// the process that loads it: the sandbox child, which src/workflow/sandbox.ts starts with the
// flag. This process never loads isolated-vm, so it runs under plain `node` and is never started
// a second time: a signal sent to this pid reaches the CLI itself, and its exit status is the
// CLI's own (issue 8: a relaunching launcher swallowed SIGINT and SIGTERM).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const entry = new URL("../dist/cli/entry.js", import.meta.url);

if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write("agentwf: the CLI is not built: run `npm install` (or `npm run build`) in the agentwf folder first\n");
  process.exit(2);
}
await import(entry.href);
