// The parent's system prompt: prompts/parent.md with the `wf` declarations (the same file the
// type checker reads) and the available agent types filled in.
import type { AgentType } from "../agent/agent-types.js";
import { readPromptFile } from "../agent/prompt-files.js";
import { environmentSection, type PromptContext } from "../agent/system-prompt.js";

export async function parentSystemPrompt(agentTypes: ReadonlyMap<string, AgentType>, context: PromptContext): Promise<string> {
  const [template, wfApi] = await Promise.all([readPromptFile("parent.md"), readPromptFile("wf.d.ts")]);
  const types = [...agentTypes.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((t) => `- \`${t.name}\`: ${t.description}${t.tools ? ` (tools: ${t.tools.join(", ")})` : ""}`)
    .join("\n");
  // Replacer functions, so that `$` in the inserted text is never read as a pattern.
  const filled = template.replace("{{WF_API}}", () => wfApi.trim()).replace("{{AGENT_TYPES}}", () => types);
  return `${filled.trim()}\n\n${environmentSection(context)}\n`;
}
