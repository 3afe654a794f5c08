#!/usr/bin/env node
// Thin launcher. isolated-vm needs Node's startup snapshot off (--no-node-snapshot), but only in
// the process that loads it: the sandbox child, which src/workflow/sandbox.ts starts with the
// flag. This process never loads isolated-vm, so it runs under plain `node` and is never started
// a second time: a signal sent to this pid reaches the CLI itself, and its exit status is the
// CLI's own (issue 8: a relaunching launcher swallowed SIGINT and SIGTERM).
import { existsSync } from "node:fs";
import module from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

// V8's compile cache for every module loaded from here on (the CLI, the openai SDK, the TypeScript
// compiler in the type-check thread, the sandbox child): start-up reads compiled code instead of
// compiling about 10 MB of JavaScript each time. It lives in the person's own cache directory, not
// a shared temporary one another user could write to; NODE_COMPILE_CACHE still chooses another,
// and NODE_DISABLE_COMPILE_CACHE=1 turns it off.
function compileCacheDir() {
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), ".cache");
  return process.env.NODE_COMPILE_CACHE || path.join(base, "agentwf", "compile-cache");
}
try {
  module.enableCompileCache?.(compileCacheDir());
} catch {
  // Only slower without it.
}

// The CLI bundled into one file by `npm run build` (scripts/bundle.mjs): start-up reads one module,
// not some 450.
const entry = new URL("../dist/bundle/entry.js", import.meta.url);

if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write("agentwf: the CLI is not built: run `npm install` (or `npm run build`) in the agentwf folder first\n");
  process.exit(2);
}
await import(entry.href);
