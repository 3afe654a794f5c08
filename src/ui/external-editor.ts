// `e` on the approval screen: the code goes to a temporary .js file, the person's editor ($VISUAL,
// else $EDITOR, else vi) opens it with the terminal to itself, and what they save comes back.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { EditOutcome } from "./ink-approval-port.js";
import { defaultSavePath } from "./workflow-summary.js";

/** The editor command from the environment, as git picks it. */
export function editorCommand(env: Readonly<Record<string, string | undefined>>): string {
  const pick = [env.VISUAL, env.EDITOR].find((value) => value !== undefined && value.trim() !== "");
  return pick?.trim() ?? "vi";
}

/** Edits `code` in `command` and returns the saved text; the terminal must be free (Ink unmounted). */
export async function editInEditor(code: string, name: string, command: string): Promise<EditOutcome> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "agentwf-edit-"));
  const file = path.join(dir, path.basename(defaultSavePath(name)));
  try {
    await writeFile(file, code);
    // Through sh like git does, so EDITOR="code --wait" or a quoted path works as the person wrote it.
    // Loaded here: every run imports this file for `editorCommand`, few open an editor.
    const { execa } = await import("execa");
    const result = await execa("sh", ["-c", `${command} "$@"`, command, file], { stdio: "inherit", reject: false });
    if (result.failed && result.exitCode === undefined) return { ok: false, error: `the editor (${command}) could not start: ${result.shortMessage}` };
    if (result.exitCode !== 0) return { ok: false, error: `the editor (${command}) exited with code ${result.exitCode}` };
    const saved = await readFile(file, "utf8");
    // Most editors end a file with a newline; that alone is not an edit worth a diff line.
    return { ok: true, code: !code.endsWith("\n") && saved.endsWith("\n") ? saved.replace(/\r?\n$/, "") : saved };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
