// Where the shipped prompt files live, found from this module's own location so that it holds in
// the source tree (tests) and in dist/ (the installed CLI) alike.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readRegularFile } from "../workspace/regular-file.js";

export const PROMPTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "prompts");
export const BUILTIN_AGENTS_DIR = path.join(PROMPTS_DIR, "agents");

/** Reads one shipped prompt file by its name under prompts/ (a regular file within a cap, like every other read). */
export async function readPromptFile(name: string): Promise<string> {
  const file = path.join(PROMPTS_DIR, name);
  return (await readRegularFile(file, file, { maxBytes: 1024 * 1024, purpose: "a prompt file" })).toString("utf8");
}
