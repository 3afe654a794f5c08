// The parent's system prompt: prompts/parent.md with the `wf` declarations (the same file the
// type checker reads) and the available agent types filled in; with `--dialect claude`,
// prompts/parent-claude.md with the Claude Code–format declarations (claude-workflow.d.ts, which
// the type checker reads for that dialect).
import type { AgentType } from "../agent/agent-types.js";
import { readPromptFile } from "../agent/prompt-files.js";
import { environmentSection, type PromptContext } from "../agent/system-prompt.js";
import type { Dialect } from "../workflow/dialect.js";

// Descriptions from other ecosystems run to paragraphs with <example> blocks; the list keeps one line each.
const MAX_DESCRIPTION = 300;

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > MAX_DESCRIPTION ? `${flat.slice(0, MAX_DESCRIPTION - 1)}…` : flat;
}

function scopeOf(type: AgentType): string {
  const tools = type.tools === undefined ? "every tool the run offers" : type.tools.length === 0 ? "no tools" : type.tools.join(", ");
  return `tools: ${tools}${type.sandbox === undefined ? "" : `; sandbox: ${type.sandbox} at most`}`;
}

const PROMPT_FILES: Readonly<Record<Dialect, { readonly template: string; readonly api: string }>> = {
  main: { template: "parent.md", api: "wf.d.ts" },
  claude: { template: "parent-claude.md", api: "claude-workflow.d.ts" },
};

export async function parentSystemPrompt(agentTypes: ReadonlyMap<string, AgentType>, context: PromptContext, dialect: Dialect = "main"): Promise<string> {
  const files = PROMPT_FILES[dialect];
  const [template, wfApi] = await Promise.all([readPromptFile(files.template), readPromptFile(files.api)]);
  const types = [...agentTypes.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((t) => `- \`${t.name}\`: ${oneLine(t.description)} (${scopeOf(t)})`)
    .join("\n");
  // Replacer functions, so that `$` in the inserted text is never read as a pattern.
  const filled = template.replace("{{WF_API}}", () => wfApi.trim()).replace("{{AGENT_TYPES}}", () => types);
  return `${filled.trim()}\n\n${environmentSection(context)}\n`;
}
