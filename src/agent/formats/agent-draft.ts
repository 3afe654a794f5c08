// What every agent-file format is read into before it becomes an AgentType, and the pieces the
// formats share: the name rule, tool lists written as YAML lists or comma-separated text, and the
// one-line notes that say what a file asked for and did not get (reported once, never fatal).
import { z } from "zod";
import { SANDBOX_MODES, type SandboxMode } from "../sandbox-mode.js";
import { mapToolNames, type ToolName } from "../tool-names.js";

export interface AgentDraft {
  readonly name: string;
  readonly description: string;
  /** Our tool names; undefined means every tool the run offers. */
  readonly tools: readonly ToolName[] | undefined;
  /** The widest sandbox the file asks for; undefined leaves it to the tools and the run. */
  readonly sandbox: SandboxMode | undefined;
  readonly model: string | undefined;
  readonly maxTurns: number | undefined;
  /** A system prompt given in the front matter (opencode's `prompt`), used when the body is empty. */
  readonly prompt?: string;
  /** The file says to leave the agent out (opencode's `disable: true`). */
  readonly disabled?: boolean;
  /** What was ignored or left out, one line each, without the file name. */
  readonly notes: readonly string[];
}

/** A file that cannot become an agent type; the message is one line that names the file. */
export class AgentFileError extends Error {
  override readonly name = "AgentFileError";
}

/** Reads one format's front matter (a YAML mapping) into a draft, or throws AgentFileError without the file name. */
export type FormatReader = (data: Record<string, unknown>, stem: string) => AgentDraft;

const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

export const AgentName = z.string().regex(NAME, "use letters, digits, - and _ (at most 64)");

export const MaxTurns = z.number().int().min(1).max(500);

export const Sandbox = z.enum(SANDBOX_MODES);

/** Splits `Read, Grep, Bash(git add, commit)` at the commas outside parentheses. */
export function splitToolList(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(") depth += 1;
    if (ch === ")") depth = Math.max(0, depth - 1);
    if (ch === "," && depth === 0) {
      out.push(current);
      current = "";
      continue;
    }
    current += ch;
  }
  out.push(current);
  return out.map((t) => t.trim()).filter((t) => t !== "");
}

/** A tool list as a YAML list, or as text (`tools: Read, Grep, Glob`, Claude Code's habit). */
export const ToolList = z.union([
  z.array(z.string()).transform((list) => list.map((t) => t.trim()).filter((t) => t !== "")),
  z.string().transform(splitToolList),
]);

/**
 * Maps tool entries of any format to ours. An entry with a pattern (`Bash(git diff:*)`) grants
 * less than the whole tool, and agentwf cannot hold a tool to a pattern, so the tool is left out
 * rather than granted whole.
 */
export function resolveTools(entries: readonly string[], notes: string[]): ToolName[] {
  const plain: string[] = [];
  const patterned: string[] = [];
  for (const entry of entries) {
    if (/^[^()]+\(.*\)$/s.test(entry)) patterned.push(entry);
    else plain.push(entry);
  }
  const { tools, unknown } = mapToolNames(plain);
  if (patterned.length > 0) notes.push(`tool patterns are not supported, left out: ${patterned.join(", ")}`);
  if (unknown.length > 0) notes.push(`tools agentwf does not have, left out: ${unknown.join(", ")}`);
  return tools;
}

/** A model named as provider/model is kept (model access decides later); an alias (`sonnet`, `inherit`) means the run's model. */
export function providerModel(model: string | undefined): string | undefined {
  return model !== undefined && model.includes("/") ? model.trim() : undefined;
}

/** One note naming the keys this format's reader did not use, or nothing. */
export function ignoredKeysNote(data: Record<string, unknown>, used: readonly string[], quiet: readonly string[] = []): string | undefined {
  const ignored = Object.keys(data).filter((k) => !used.includes(k) && !quiet.includes(k));
  return ignored.length === 0 ? undefined : `keys agentwf does not use, ignored: ${ignored.join(", ")}`;
}

/** Keys of a zod object schema, for ignoredKeysNote. */
export function keysOf(schema: z.ZodObject): string[] {
  return Object.keys(schema.shape);
}
