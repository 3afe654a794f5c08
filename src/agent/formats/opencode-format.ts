// opencode's agent files (.opencode/agents/ or .opencode/agent/, ~/.config/opencode/agents/), as
// opencode.ai/docs/agents defines them: the file name is the agent's name, `description` is
// required, `mode` says where opencode offers it, `model` is provider/model, `tools` maps tool names
// to true or false (every tool is on unless turned off; `*` sets the default), `permission` maps
// `edit`, `bash`, … to allow, ask or deny (for bash, also per command pattern), and opencode 2's
// `permissions` is a list of {action, resource, effect} rules.
//
// A run never stops to ask, so `ask` counts as deny; and agentwf cannot hold a tool to a command or
// resource pattern, so a tool that is allowed only for some patterns is left out, not granted whole.
import { z } from "zod";
import { formatZodIssues } from "../../text/zod-issues.js";
import { AGENTWF_TOOLS, mapToolName, type ToolName } from "../tool-names.js";
import { AgentFileError, AgentName, MaxTurns, ignoredKeysNote, keysOf, providerModel, type FormatReader } from "./agent-draft.js";

const Effect = z.enum(["allow", "ask", "deny"]);
type Effect = z.infer<typeof Effect>;

const Schema = z
  .object({
    name: AgentName.optional(),
    description: z.string().min(1),
    mode: z.enum(["primary", "subagent", "all"]).optional(),
    model: z.string().optional(),
    prompt: z.string().optional(),
    tools: z.record(z.string(), z.boolean()).optional(),
    permission: z.union([Effect, z.record(z.string(), z.union([Effect, z.record(z.string(), Effect)]))]).optional(),
    permissions: z.array(z.object({ action: z.string(), resource: z.string().optional(), effect: Effect }).loose()).optional(),
    maxSteps: MaxTurns.optional(),
    steps: MaxTurns.optional(),
    disable: z.boolean().optional(),
  })
  .loose();

// Sampling and display settings of opencode's own loop: nothing to report.
const QUIET = ["temperature", "top_p", "color", "hidden", "variant"];

// What a permission key or rule action covers: opencode's `edit` permission governs every file
// change (edit, write, patch), and its v2 rules call the shell `shell`.
const PERMISSION_TOOLS: Readonly<Record<string, readonly ToolName[]>> = {
  edit: ["edit_file", "write_file"],
  write: ["write_file"],
  bash: ["bash"],
  shell: ["bash"],
  read: ["read_file"],
  list: ["list_dir"],
  glob: ["glob"],
  grep: ["grep"],
};

/** Applies `tools: {write: false, "*": false, read: true}`: `*` first, then each named tool. */
function applyToolSwitches(switches: Record<string, boolean>, notes: string[]): Set<ToolName> {
  const on = new Set<ToolName>(switches["*"] === false ? [] : AGENTWF_TOOLS);
  const unknown: string[] = [];
  for (const [key, enabled] of Object.entries(switches)) {
    if (key === "*") continue;
    const tools = mapToolName(key);
    if (tools === undefined) {
      // Turning off a tool agentwf lacks changes nothing; asking for one is worth a note.
      if (enabled) unknown.push(key);
      continue;
    }
    for (const tool of tools) {
      if (enabled) on.add(tool);
      else on.delete(tool);
    }
  }
  if (unknown.length > 0) notes.push(`tools agentwf does not have, left out: ${unknown.join(", ")}`);
  return on;
}

/** The tools a set of effects takes away: any rule that is not a plain allow removes the whole tool. */
function deniedByPermission(permission: z.infer<typeof Schema>["permission"], notes: string[]): Set<ToolName> {
  const denied = new Set<ToolName>();
  if (permission === undefined) return denied;
  let asked = false;
  const entries: Array<[string, Effect | Record<string, Effect>]> = typeof permission === "string" ? [["*", permission]] : Object.entries(permission);
  for (const [key, value] of entries) {
    const tools = key === "*" ? AGENTWF_TOOLS : PERMISSION_TOOLS[key];
    if (tools === undefined) continue;
    const effects = typeof value === "string" ? [value] : Object.values(value);
    if (effects.includes("ask")) asked = true;
    if (effects.every((e) => e === "allow")) continue;
    if (typeof value !== "string" && effects.includes("allow")) notes.push(`permission.${key}: allowed only for some patterns, which agentwf cannot enforce; left out`);
    for (const tool of tools) denied.add(tool);
  }
  if (asked) notes.push("permission ask counts as deny: a run never stops to ask");
  return denied;
}

/** The same for opencode 2's rule list. */
function deniedByRules(rules: z.infer<typeof Schema>["permissions"], notes: string[]): Set<ToolName> {
  const denied = new Set<ToolName>();
  for (const rule of rules ?? []) {
    const tools = rule.action === "*" ? AGENTWF_TOOLS : PERMISSION_TOOLS[rule.action];
    if (tools === undefined || rule.effect === "allow") continue;
    if (rule.resource !== undefined && rule.resource !== "*") notes.push(`permissions: ${rule.action} ${rule.effect} for "${rule.resource}" only cannot be enforced; ${rule.action} left out`);
    for (const tool of tools) denied.add(tool);
  }
  return denied;
}

export const readOpenCodeFormat: FormatReader = (data, stem) => {
  const parsed = Schema.safeParse(data);
  if (!parsed.success) throw new AgentFileError(formatZodIssues(parsed.error));
  const { name, description, model, prompt, tools, permission, permissions, maxSteps, steps, disable } = parsed.data;
  const named = AgentName.safeParse(name ?? stem);
  if (!named.success) throw new AgentFileError(`name "${name ?? stem}" (from the ${name === undefined ? "file name" : "front matter"}): use letters, digits, - and _ (at most 64)`);
  if (prompt !== undefined && /^\{file:/.test(prompt.trim())) {
    throw new AgentFileError("prompt: {file:…} references are not supported; put the system prompt in the file's body");
  }
  const notes: string[] = [];
  let granted: ToolName[] | undefined;
  if (tools !== undefined || permission !== undefined || permissions !== undefined) {
    const on = tools === undefined ? new Set<ToolName>(AGENTWF_TOOLS) : applyToolSwitches(tools, notes);
    for (const tool of deniedByPermission(permission, notes)) on.delete(tool);
    for (const tool of deniedByRules(permissions, notes)) on.delete(tool);
    granted = AGENTWF_TOOLS.filter((t) => on.has(t));
  }
  const ignored = ignoredKeysNote(data, keysOf(Schema), QUIET);
  if (ignored !== undefined) notes.push(ignored);
  return {
    name: named.data,
    description,
    tools: granted,
    sandbox: undefined,
    model: providerModel(model),
    maxTurns: steps ?? maxSteps,
    prompt,
    disabled: disable === true,
    notes,
  };
};
