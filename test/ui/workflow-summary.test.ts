import { describe, expect, it } from "vitest";
import { agentTypesIn, defaultSavePath, workflowSummary } from "../../src/ui/workflow-summary.js";

describe("workflow summary", () => {
  it("names the agent types in the code, the concurrency, the sandbox and the warnings", () => {
    const code = `wf.runAgent("a", { agent: "reviewer" }); wf.mapAgents(x, "p", { agent: 'explorer' }); wf.runAgent("b", { agent: "reviewer" });`;
    expect(agentTypesIn(code)).toEqual(["reviewer", "explorer"]);
    const warning = { line: 1, column: 1, severity: "warning" as const, message: "m" };
    expect(workflowSummary({ code, maxConcurrency: 4, warnings: [warning] }, "read-only")).toBe(
      "agents: reviewer, explorer · maxConcurrency: 4 · sandbox: read-only · 1 warning",
    );
  });

  it("offers a save path made of safe file-name characters", () => {
    expect(defaultSavePath("coverage-audit")).toBe(".agentwf/workflows/coverage-audit.js");
    expect(defaultSavePath("../../etc/passwd")).toBe(".agentwf/workflows/etc-passwd.js");
  });

  it("leads with the dialect and meta.phases of a Claude Code–format script", () => {
    const code = `export const meta = { name: "a", description: "b" }\nawait agent("x", { agentType: "reviewer" })`;
    const meta = { name: "a", description: "b", phases: [{ title: "Scan" }, { title: "Fix" }] };
    expect(workflowSummary({ code, maxConcurrency: 8, warnings: [], meta, dialect: "claude" }, "read-only")).toBe(
      "Claude Code format · phases: Scan → Fix · agents: reviewer · maxConcurrency: 8 · sandbox: read-only · no warnings",
    );
  });
});
