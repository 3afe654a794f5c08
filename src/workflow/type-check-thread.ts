// The worker thread's side of the type check (type-check-worker.ts starts it): loads the compiler,
// then warms it up while no request waits, and answers requests.
import module from "node:module";
import { parentPort, workerData } from "node:worker_threads";
import { firstCheckOf, keptAnswer, warmUpSteps, type FirstCheck, type KeptCheck } from "./type-check-warm-up.js";
import { typeCheckWorkflow } from "./type-check.js";

const data = (workerData ?? {}) as { compileCacheDir?: unknown; first?: unknown };

// A thread has its own module loader: the process's compile cache (bin/agentwf.js) is enabled
// again here, so the compiler, the largest thing agentwf loads, is read compiled. It is loaded
// lazily by type-check.ts, so this runs first.
if (typeof data.compileCacheDir === "string") {
  try {
    module.enableCompileCache(data.compileCacheDir);
  } catch {
    // Only slower without it.
  }
}

const port = parentPort;
if (port !== null) {
  // `exec` hands over the file it will validate: checked first, its answer kept for that request.
  const first: FirstCheck | undefined = firstCheckOf(data.first);
  let kept: KeptCheck | undefined;
  let asked = false;
  port.on("message", (message: { id: number; code: string; dialect?: "main" | "claude" }) => {
    asked = true;
    const dialect = message.dialect === "claude" ? "claude" : "main";
    try {
      const diagnostics = keptAnswer(kept, message.code, dialect) ?? typeCheckWorkflow(message.code, dialect);
      kept = undefined;
      port.postMessage({ id: message.id, ok: true, diagnostics });
    } catch (error) {
      port.postMessage({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  });
  // Each warm-up step runs only while no request has come: a request waiting in the queue is
  // delivered before the next step (setImmediate runs after the event loop's poll phase), and once
  // a real check has run the compiler is warm enough that the rest would only delay the next one.
  const steps = warmUpSteps(first, (check, diagnostics) => {
    kept = { first: check, diagnostics };
  });
  const next = (): void => {
    const step = steps.shift();
    if (step === undefined || asked) return;
    step();
    setImmediate(next);
  };
  setImmediate(next);
}
