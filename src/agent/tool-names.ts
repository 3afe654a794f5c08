// agentwf's tool names, and the names other agent ecosystems give the same tools. One table serves
// every format: no two ecosystems use one name for different tools (Claude Code's `Edit`, opencode's
// `edit` and Gemini CLI's `replace` all make an exact replacement in a file).
export const AGENTWF_TOOLS = ["read_file", "list_dir", "glob", "grep", "bash", "edit_file", "write_file"] as const;

export type ToolName = (typeof AGENTWF_TOOLS)[number];

/** Tools that change files; a read-only agent type never gets them. */
export const WRITE_TOOLS: readonly ToolName[] = ["edit_file", "write_file"];

const FOREIGN_TOOLS: Readonly<Record<string, readonly ToolName[]>> = {
  // Claude Code (code.claude.com/docs/en/sub-agents, "Available tools").
  Read: ["read_file"],
  LS: ["list_dir"],
  Glob: ["glob"],
  Grep: ["grep"],
  Bash: ["bash"],
  Edit: ["edit_file"],
  MultiEdit: ["edit_file"],
  Write: ["write_file"],
  // Gemini CLI (docs/tools: file-system.md, shell.md).
  read_many_files: ["read_file"],
  list_directory: ["list_dir"],
  search_file_content: ["grep"],
  grep_search: ["grep"],
  run_shell_command: ["bash"],
  replace: ["edit_file"],
  // opencode (opencode.ai/docs/tools): keys of an agent's `tools` and `permission` maps.
  read: ["read_file"],
  list: ["list_dir"],
  glob: ["glob"],
  grep: ["grep"],
  bash: ["bash"],
  edit: ["edit_file"],
  patch: ["edit_file"],
  write: ["write_file"],
  // OpenHands (software-agent-sdk): `terminal` runs commands, `file_editor` views, creates and edits.
  terminal: ["bash"],
  file_editor: ["read_file", "edit_file", "write_file"],
};

const OWN = new Set<string>(AGENTWF_TOOLS);

/** Our tools for a tool name of any ecosystem (ours included); undefined when agentwf has no such tool. */
export function mapToolName(name: string): readonly ToolName[] | undefined {
  if (OWN.has(name)) return [name as ToolName];
  return Object.hasOwn(FOREIGN_TOOLS, name) ? FOREIGN_TOOLS[name] : undefined;
}

/** Maps a list of names, keeping the order of first appearance; unknown names are returned apart. */
export function mapToolNames(names: readonly string[]): { tools: ToolName[]; unknown: string[] } {
  const tools: ToolName[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const mapped = mapToolName(name);
    if (mapped === undefined) {
      if (!unknown.includes(name)) unknown.push(name);
      continue;
    }
    for (const tool of mapped) if (!tools.includes(tool)) tools.push(tool);
  }
  return { tools, unknown };
}
