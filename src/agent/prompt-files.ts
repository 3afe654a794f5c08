// Where the shipped prompt files live, found from this module's own location so that it holds in
// the source tree (tests) and in dist/ (the installed CLI) alike.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const PROMPTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "prompts");
export const BUILTIN_AGENTS_DIR = path.join(PROMPTS_DIR, "agents");

/** Reads one shipped prompt file by its name under prompts/. */
export function readPromptFile(name: string): Promise<string> {
  return readFile(path.join(PROMPTS_DIR, name), "utf8");
}
