// One agent file's text into an AgentType: the YAML front matter is split off and read by the
// format of the folder the file came from; the body is the system prompt. A file that cannot be
// read is one AgentFileError line naming the file; what a readable file asked for and did not get
// comes back as notes, to be reported once.
import path from "node:path";
import { parse as parseYaml } from "yaml";
import type { AgentType, AgentFormat } from "./agent-types.js";
import { AgentFileError, type AgentDraft, type FormatReader } from "./formats/agent-draft.js";
import { readAgentwfFormat } from "./formats/agentwf-format.js";
import { readClaudeFormat } from "./formats/claude-format.js";
import { readGeminiFormat } from "./formats/gemini-format.js";
import { readOpenCodeFormat } from "./formats/opencode-format.js";
import { readOpenHandsFormat } from "./formats/openhands-format.js";
import { AGENTWF_TOOLS, WRITE_TOOLS } from "./tool-names.js";

export const DEFAULT_MAX_TURNS = 30;

function readerFor(format: AgentFormat): FormatReader {
  switch (format) {
    case "agentwf":
      return readAgentwfFormat;
    case "claude":
      return readClaudeFormat;
    case "gemini":
      return readGeminiFormat;
    case "opencode":
      return readOpenCodeFormat;
    case "openhands":
      return readOpenHandsFormat;
    default: {
      const unreachable: never = format;
      return unreachable;
    }
  }
}

function frontMatter(text: string, source: string): { data: Record<string, unknown>; body: string } {
  const match = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n([\s\S]*))?$/.exec(text);
  if (match === null) throw new AgentFileError(`${source}: no front matter; start the file with a --- block holding name and description`);
  let data: unknown;
  try {
    // One document, no custom tags: the YAML library's defaults build plain values only.
    data = parseYaml(match[1] ?? "", { maxAliasCount: 100 });
  } catch (error) {
    throw new AgentFileError(`${source}: front matter is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  if (data === null || data === undefined) data = {};
  if (typeof data !== "object" || Array.isArray(data)) throw new AgentFileError(`${source}: front matter must be a YAML mapping of keys to values`);
  return { data: data as Record<string, unknown>, body: match[2] ?? "" };
}

/**
 * The sandbox a draft runs in at most: the one it names, else read-only when its tools change no
 * file. An agent that may not edit files should not write them through `bash` either, so its shell
 * sees the workspace through the throw-away layer of read-only mode.
 */
function sandboxOf(draft: AgentDraft): AgentType["sandbox"] {
  if (draft.sandbox !== undefined) return draft.sandbox;
  if (draft.tools !== undefined && !draft.tools.some((t) => WRITE_TOOLS.includes(t))) return "read-only";
  return undefined;
}

/** Parses one agent file's text in the given format; `source` names the file in messages. */
export function parseAgentFile(text: string, source: string, format: AgentFormat): AgentType & { readonly disabled: boolean } {
  const { data, body } = frontMatter(text, source);
  let draft: AgentDraft;
  try {
    draft = readerFor(format)(data, path.basename(source).replace(/\.md$/i, ""));
  } catch (error) {
    if (error instanceof AgentFileError) throw new AgentFileError(`${source}: ${error.message}`);
    throw error;
  }
  const systemPrompt = body.trim() !== "" ? body.trim() : (draft.prompt?.trim() ?? "");
  if (systemPrompt === "") throw new AgentFileError(`${source}: the system prompt (the text after the front matter) is empty`);
  const all = draft.tools !== undefined && AGENTWF_TOOLS.every((t) => draft.tools?.includes(t));
  return {
    name: draft.name,
    description: draft.description,
    tools: draft.tools === undefined || all ? undefined : [...draft.tools],
    sandbox: sandboxOf(draft),
    model: draft.model,
    maxTurns: draft.maxTurns ?? DEFAULT_MAX_TURNS,
    systemPrompt,
    source,
    format,
    notes: draft.notes,
    disabled: draft.disabled === true,
  };
}
