// The type check in a worker thread gives the same findings as on the main thread, and the main
// thread never loads the compiler for it (so the live UI keeps drawing while it runs).
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { typeCheckInWorker } from "../../src/workflow/type-check-worker.js";
import { formatDiagnostic, validateWorkflowAsync } from "../../src/workflow/validate.js";

const require = createRequire(import.meta.url);
const compilerLoadedHere = () => require.cache[require.resolve("typescript")] !== undefined;

describe("validateWorkflowAsync with the worker thread", () => {
  it("finds type errors in the worker, without loading the compiler on this thread", async () => {
    const result = await validateWorkflowAsync('async function main(wf) {\n  return wf.runAgnet("x", { agnet: "y" });\n}', 100_000, typeCheckInWorker);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual(["2:13 error: type: Property 'runAgnet' does not exist on type 'Wf'. Did you mean 'runAgent'?"]);
    expect(compilerLoadedHere()).toBe(false);
  });

  it("keeps the checks that need no compiler on this thread, and answers concurrent requests each with its own findings", async () => {
    const [hidden, valid, options] = await Promise.all([
      validateWorkflowAsync('async function main(wf) {\n  return "\u202e";\n}', 100_000, typeCheckInWorker),
      validateWorkflowAsync('async function main(wf) {\n  return await wf.runAgent("x");\n}', 100_000, typeCheckInWorker),
      validateWorkflowAsync('async function main(wf) {\n  return wf.runAgent("x", { agnet: "y" });\n}', 100_000, typeCheckInWorker),
    ]);
    expect(hidden.diagnostics.map((d) => d.message.split(" (")[0])).toEqual(["a bidirectional control character"]);
    expect(valid).toEqual({ ok: true, diagnostics: [], code: 'async function main(wf) {\n  return await wf.runAgent("x");\n}', changes: [], dialect: "main" });
    expect(options.diagnostics.map(formatDiagnostic)).toEqual([
      "2:29 error: type: Object literal may only specify known properties, but 'agnet' does not exist in type 'AgentOptions'. Did you mean to write 'agent'?",
    ]);
    expect(compilerLoadedHere()).toBe(false);
  });
});
