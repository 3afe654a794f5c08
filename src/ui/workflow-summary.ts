// What the person needs to know about a workflow besides its code, on one line: which agent types
// it names, how many sub-agents run at once, the sandbox, and the validator's warnings.
import type { WorkflowProposal } from "../run/approval.js";
import { escapeForDisplay } from "../text/safe-text.js";

/** Agent types named in the code (`agent: "reviewer"`, or `agentType:` in a Claude Code–format script), in order of appearance, without repeats. */
export function agentTypesIn(code: string): string[] {
  const names = [...code.matchAll(/\bagent(?:Type)?\s*:\s*["'`]([^"'`\n]+)["'`]/g)].map((m) => escapeForDisplay(m[1] ?? ""));
  return [...new Set(names)];
}

/** The summary line shown under the code. */
export function workflowSummary(proposal: Pick<WorkflowProposal, "code" | "maxConcurrency" | "warnings" | "meta" | "dialect">, sandboxMode: string): string {
  const agents = agentTypesIn(proposal.code);
  const phases = proposal.meta?.phases?.map((p) => escapeForDisplay(p.title)) ?? [];
  return [
    // A Claude Code–format script names its phases in meta: they are its plan, in order.
    ...(proposal.dialect === "claude" ? ["Claude Code format"] : []),
    ...(phases.length > 0 ? [`phases: ${phases.join(" → ")}`] : []),
    `agents: ${agents.length > 0 ? agents.join(", ") : "general-purpose"}`,
    `maxConcurrency: ${proposal.maxConcurrency}`,
    `sandbox: ${sandboxMode}`,
    proposal.warnings.length > 0 ? `${proposal.warnings.length} warning${proposal.warnings.length === 1 ? "" : "s"}` : "no warnings",
  ].join(" · ");
}

/**
 * Where `s` offers to save a workflow: .agentwf/workflows/<name>.js, the name cut down to safe
 * file-name characters, so that a run people liked becomes a command (`agentwf run --workflow NAME`).
 */
export function defaultSavePath(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[.-]+|-+$/g, "").slice(0, 60);
  return `.agentwf/workflows/${safe === "" ? "unnamed" : safe}.js`;
}
