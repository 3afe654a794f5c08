// Assembles system prompts: the agent type's text, the workspace facts every agent needs, and the
// project's AGENTS.md, which is part of every prompt.
import { WorkspaceReadError } from "../workspace/regular-file.js";
import { readWorkspaceFileHead } from "../workspace/read-workspace-file.js";
import { createWorkspaceGuard } from "../workspace/workspace-guard.js";
import type { AgentType } from "./agent-types.js";

const MAX_AGENTS_MD_BYTES = 32 * 1024;
// Past the prompt's share AGENTS.md is cut, not refused; a file this large is no instruction file.
const MAX_AGENTS_MD_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Reads AGENTS.md at the workspace root, cut to a size that leaves room for the task. It comes from
 * a repository someone may just have cloned, so it goes through the workspace guard: a symlink out
 * of the workspace, a FIFO or device, or a huge file is skipped, and `warn` says why, once.
 */
export async function readAgentsMd(workspace: string, warn: (message: string) => void = () => {}): Promise<string | undefined> {
  let head: Buffer;
  let size: number;
  try {
    ({ head, size } = await readWorkspaceFileHead(
      createWorkspaceGuard(workspace),
      "AGENTS.md",
      { maxBytes: MAX_AGENTS_MD_FILE_BYTES, purpose: "AGENTS.md" },
      MAX_AGENTS_MD_BYTES + 1,
    ));
  } catch (error) {
    if (error instanceof WorkspaceReadError && error.code === "missing") return undefined;
    warn(`AGENTS.md skipped, not part of the prompt: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  if (size <= MAX_AGENTS_MD_BYTES && head.length <= MAX_AGENTS_MD_BYTES) return head.toString("utf8");
  return `${head.subarray(0, MAX_AGENTS_MD_BYTES).toString("utf8")}\n[AGENTS.md cut at ${MAX_AGENTS_MD_BYTES} bytes]`;
}

export interface PromptContext {
  readonly workspace: string;
  readonly agentsMd: string | undefined;
  readonly date: string;
}

/** The environment section shared by the parent's and every sub-agent's prompt. */
export function environmentSection(context: PromptContext): string {
  const lines = [
    "## Environment",
    `- Workspace root: ${context.workspace} (tool paths are relative to it)`,
    `- Date: ${context.date}`,
  ];
  if (context.agentsMd !== undefined) {
    lines.push("", "## Project instructions (AGENTS.md)", context.agentsMd.trim());
  }
  return lines.join("\n");
}

/** A sub-agent's system prompt. */
export function subAgentSystemPrompt(type: AgentType, context: PromptContext): string {
  return `${type.systemPrompt.trim()}\n\n${environmentSection(context)}\n`;
}
