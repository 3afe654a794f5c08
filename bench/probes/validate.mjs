// A fresh process that validates one workflow file the way `agentwf run` does (syntax on this
// thread, types in the worker thread started at launch) and prints, as JSON: the cold check's time
// from process start, the longest the event loop was blocked meanwhile, and warm checks after it.
//
//   node bench/probes/validate.mjs FILE WARM_ROUNDS
import module from "node:module";
import path from "node:path";
import os from "node:os";
import { readFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";

// As bin/agentwf.js does.
module.enableCompileCache?.(path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "agentwf", "compile-cache"));
const dist = new URL("../../dist/", import.meta.url);
const { startTypeChecker, typeCheckInWorker } = await import(new URL("workflow/type-check-worker.js", dist).href);
startTypeChecker();
const { validateWorkflowAsync } = await import(new URL("workflow/validate.js", dist).href);

const code = readFileSync(process.argv[2], "utf8");
const rounds = Number(process.argv[3] ?? "10");
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
const cold = await validateWorkflowAsync(code, 100_000, typeCheckInWorker);
const coldMs = performance.now();
loop.disable();
if (!cold.ok) throw new Error(`the example does not validate: ${JSON.stringify(cold.diagnostics)}`);
const warm = [];
for (let i = 0; i < rounds; i += 1) {
  const started = performance.now();
  await validateWorkflowAsync(code, 100_000, typeCheckInWorker);
  warm.push(performance.now() - started);
}
process.stdout.write(JSON.stringify({ coldMs, maxBlockedMs: loop.max / 1e6, warm }) + "\n");
process.exit(0);
