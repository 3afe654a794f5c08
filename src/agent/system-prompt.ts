// Assembles system prompts: the agent type's text, the workspace facts every agent needs, and the
// project's AGENTS.md, which is part of every prompt.
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { AgentType } from "./agent-types.js";

const MAX_AGENTS_MD_BYTES = 32 * 1024;

/** Reads AGENTS.md at the workspace root, cut to a size that leaves room for the task. */
export async function readAgentsMd(workspace: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(workspace, "AGENTS.md"), "utf8");
  } catch {
    return undefined;
  }
  if (Buffer.byteLength(text) <= MAX_AGENTS_MD_BYTES) return text;
  return `${Buffer.from(text).subarray(0, MAX_AGENTS_MD_BYTES).toString("utf8")}\n[AGENTS.md cut at ${MAX_AGENTS_MD_BYTES} bytes]`;
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
