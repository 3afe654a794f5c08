// Assembles system prompts: the agent type's text, the workspace facts every agent needs, and the
// project's instruction file (AGENTS.md; CLAUDE.md or GEMINI.md when there is none), which is part
// of the parent's and every sub-agent's prompt.
import { WorkspaceReadError } from "../workspace/regular-file.js";
import { readWorkspaceFileHead } from "../workspace/read-workspace-file.js";
import { createWorkspaceGuard } from "../workspace/workspace-guard.js";
import type { AgentType } from "./agent-types.js";
import type { SandboxMode } from "./sandbox-mode.js";

/** Instruction files in the order they are looked for; the first one present is used. */
export const INSTRUCTION_FILES = ["AGENTS.md", "CLAUDE.md", "GEMINI.md"] as const;

export type InstructionFile = (typeof INSTRUCTION_FILES)[number];

export interface ProjectInstructions {
  readonly file: InstructionFile;
  readonly text: string;
}

export const MAX_INSTRUCTIONS_BYTES = 32 * 1024;
// Past the prompt's share the file is cut, not refused; a file this large is no instruction file.
const MAX_INSTRUCTIONS_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Reads the project's instruction file at the workspace root, cut to a size that leaves room for
 * the task. It comes from a repository someone may just have cloned, so it goes through the
 * workspace guard: a symlink out of the workspace, a FIFO or device, or a huge file is skipped, and
 * `warn` says why, once. A file that is there but refused is not replaced by the next one: the
 * repository meant that file.
 */
export async function readProjectInstructions(workspace: string, warn: (message: string) => void = () => {}): Promise<ProjectInstructions | undefined> {
  const guard = createWorkspaceGuard(workspace);
  for (const file of INSTRUCTION_FILES) {
    let head: Buffer;
    let size: number;
    try {
      ({ head, size } = await readWorkspaceFileHead(guard, file, { maxBytes: MAX_INSTRUCTIONS_FILE_BYTES, purpose: file }, MAX_INSTRUCTIONS_BYTES + 1));
    } catch (error) {
      if (error instanceof WorkspaceReadError && error.code === "missing") continue;
      warn(`${file} skipped, not part of the prompt: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    if (size <= MAX_INSTRUCTIONS_BYTES && head.length <= MAX_INSTRUCTIONS_BYTES) return { file, text: head.toString("utf8") };
    return { file, text: `${head.subarray(0, MAX_INSTRUCTIONS_BYTES).toString("utf8")}\n[${file} cut at ${MAX_INSTRUCTIONS_BYTES} bytes]` };
  }
  return undefined;
}

export interface PromptContext {
  /** The folder the agent's tools work in: the workspace, or a sub-agent's own worktree. */
  readonly workspace: string;
  readonly instructions: ProjectInstructions | undefined;
  readonly date: string;
  /** The sandbox the agent runs in; unset leaves the line out. */
  readonly sandbox?: SandboxMode;
}

function sandboxLine(sandbox: SandboxMode): string {
  switch (sandbox) {
    case "read-only":
      return "- Sandbox: read-only (nothing you do changes the workspace; what commands write is thrown away)";
    case "workspace-write":
      return "- Sandbox: workspace-write (you may change files inside the workspace, nowhere else; no network)";
    case "danger-full-access":
      return "- Sandbox: danger-full-access (no sandbox: commands run with the person's own rights)";
    default: {
      const unreachable: never = sandbox;
      return unreachable;
    }
  }
}

/** The environment section shared by the parent's and every sub-agent's prompt. */
export function environmentSection(context: PromptContext): string {
  const lines = [
    "## Environment",
    `- Workspace root: ${context.workspace} (tool paths are relative to it)`,
    `- Date: ${context.date}`,
  ];
  if (context.sandbox !== undefined) lines.push(sandboxLine(context.sandbox));
  if (context.instructions !== undefined) {
    lines.push("", `## Project instructions (${context.instructions.file})`, context.instructions.text.trim());
  }
  return lines.join("\n");
}

/** A sub-agent's system prompt. */
export function subAgentSystemPrompt(type: AgentType, context: PromptContext): string {
  return `${type.systemPrompt.trim()}\n\n${environmentSection(context)}\n`;
}
