// The worker thread's side of the type check (type-check-worker.ts starts it): loads the compiler
// and parses its library files at once, before the first workflow arrives, then answers requests.
import module from "node:module";
import { parentPort, workerData } from "node:worker_threads";
import { typeCheckWorkflow } from "./type-check.js";

// A thread has its own module loader: the process's compile cache (bin/agentwf.js) is enabled
// again here, so the compiler, the largest thing agentwf loads, is read compiled. It is loaded
// lazily by type-check.ts, so this runs first.
const cacheDir: unknown = (workerData as { compileCacheDir?: unknown } | null)?.compileCacheDir;
if (typeof cacheDir === "string") {
  try {
    module.enableCompileCache(cacheDir);
  } catch {
    // Only slower without it.
  }
}

const port = parentPort;
if (port !== null) {
  typeCheckWorkflow("async function main(wf) {\n  return wf.input;\n}\n");
  port.on("message", (message: { id: number; code: string; dialect?: "main" | "claude" }) => {
    try {
      port.postMessage({ id: message.id, ok: true, diagnostics: typeCheckWorkflow(message.code, message.dialect === "claude" ? "claude" : "main") });
    } catch (error) {
      port.postMessage({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  });
}
