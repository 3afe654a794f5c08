// The worker thread's side of the type check (type-check-worker.ts starts it): loads the compiler
// and parses its library files at once, before the first workflow arrives, then answers requests.
import { parentPort } from "node:worker_threads";
import { typeCheckWorkflow } from "./type-check.js";

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
