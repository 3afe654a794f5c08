import { afterEach, describe, expect, it } from "vitest";
import { prepareSandbox, takeSandbox, type SandboxProcess } from "../../src/workflow/sandbox-process.js";
import { runWorkflow } from "../../src/workflow/sandbox.js";
import { DEFAULT_LIMITS } from "../../src/config/limits.js";

const taken: SandboxProcess[] = [];
afterEach(() => {
  for (const p of taken.splice(0)) p.child.kill("SIGKILL");
});

async function firstMessage(p: SandboxProcess): Promise<unknown> {
  for await (const message of p.messages) return message;
  return undefined;
}

describe("the sandbox child started ahead of need", () => {
  it("hands over the spare started by prepareSandbox, with its ready message kept", async () => {
    prepareSandbox();
    const spare = takeSandbox();
    taken.push(spare);
    // Waiting for the child's exit-free ready message proves nothing it sent before anyone read was lost.
    expect(await firstMessage(spare)).toEqual({ type: "ready" });
    const next = takeSandbox();
    taken.push(next);
    // No spare waits any more: the next one is a new process.
    expect(next.child.pid).not.toBe(spare.child.pid);
    expect(await firstMessage(next)).toEqual({ type: "ready" });
  });

  it("runs a workflow in the prepared child", async () => {
    prepareSandbox();
    const outcome = await runWorkflow({
      code: `async function main(wf) { const r = await wf.runAgent("hi"); return "got " + r; }`,
      workflowId: "w1",
      defaultAgent: "general-purpose",
      runAgent: async (request) => ({ ok: true, value: `answer to ${request.prompt}`, usage: { inputTokens: 0, outputTokens: 0 } }),
      limits: DEFAULT_LIMITS,
      emit: () => {},
      signal: new AbortController().signal,
    });
    expect(outcome).toMatchObject({ ok: true, result: "got answer to hi", agents: 1 });
  });
});
