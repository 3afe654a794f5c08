import { mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ApprovalDecision, ApprovalPort, WorkflowProposal } from "../../src/run/approval.js";
import { approvalMemory, rememberedApproval } from "../../src/run/approved-workflows.js";

const proposal: WorkflowProposal = { workflowId: "w1", name: "hello", code: "return 1", maxConcurrency: 8, warnings: [] };
const HASH_A = "a".repeat(64);
const HASH_B = "b".repeat(64);

function asking(answer: ApprovalDecision): ApprovalPort & { asked: number } {
  const port = {
    asked: 0,
    async ask() {
      port.asked += 1;
      return answer;
    },
  };
  return port;
}

describe("rememberedApproval", () => {
  it("asks the first time, remembers an approval by hash in the state dir, and runs without asking the next time", async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), "agentwf-approvals-"));
    const memory = approvalMemory(home, () => new Date("2026-12-01T10:00:00Z"));
    const inner = asking({ type: "approve" });
    const signal = new AbortController().signal;
    expect(await rememberedApproval(inner, memory, { sha256: HASH_A, name: "hello" }).ask(proposal, signal)).toEqual({ type: "approve" });
    let noticed = 0;
    expect(await rememberedApproval(inner, memory, { sha256: HASH_A, name: "hello" }, () => (noticed += 1)).ask(proposal, signal)).toEqual({ type: "approve" });
    expect(inner.asked).toBe(1);
    expect(noticed).toBe(1);
    expect(JSON.parse(await readFile(path.join(home, "approved-workflows.json"), "utf8"))).toEqual({
      version: 1,
      approvals: [{ sha256: HASH_A, name: "hello", approvedAt: "2026-12-01T10:00:00.000Z" }],
    });
    expect((await stat(path.join(home, "approved-workflows.json"))).mode & 0o777).toBe(0o600);
  });

  it("asks again for other content (another hash)", async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), "agentwf-approvals-"));
    const memory = approvalMemory(home);
    const inner = asking({ type: "approve" });
    const signal = new AbortController().signal;
    await rememberedApproval(inner, memory, { sha256: HASH_A, name: "hello" }).ask(proposal, signal);
    await rememberedApproval(inner, memory, { sha256: HASH_B, name: "hello" }).ask(proposal, signal);
    expect(inner.asked).toBe(2);
  });

  it("remembers neither a rejection nor an approval of edited code", async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), "agentwf-approvals-"));
    const memory = approvalMemory(home);
    const signal = new AbortController().signal;
    await rememberedApproval(asking({ type: "reject", reason: "no" }), memory, { sha256: HASH_A, name: "x" }).ask(proposal, signal);
    await rememberedApproval(asking({ type: "approve", code: "return 2" }), memory, { sha256: HASH_A, name: "x" }).ask(proposal, signal);
    expect(await memory.has(HASH_A)).toBe(false);
  });

  it("treats an unreadable or malformed approvals file as no approvals", async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), "agentwf-approvals-"));
    await writeFile(path.join(home, "approved-workflows.json"), '{"version":1,"approvals":[{"sha256":"not-a-hash"}]}');
    expect(await approvalMemory(home).has(HASH_A)).toBe(false);
  });
});
