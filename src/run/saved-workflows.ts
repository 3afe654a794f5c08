// Saved workflows: named, reusable scripts people keep beside their code. Read from the project's
// `.agentwf/workflows/`, `.claude/workflows/` and `.qwen/workflows/`, then the same folders under
// the home directory (Claude Code's personal folder follows $CLAUDE_CONFIG_DIR); a project
// workflow wins over a personal one of the same name, as in Claude Code. A project folder comes
// with the repository, so it is attacker-written: read through the workspace guard (no symlink
// out, no FIFO, a size cap), its text never run to learn its name, and running it still asks.
import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Env } from "../config/resolve-model.js";
import { WorkspaceReadError, readRegularFile } from "../workspace/regular-file.js";
import { readWorkspaceFile } from "../workspace/read-workspace-file.js";
import { createWorkspaceGuard, WorkspacePathError } from "../workspace/workspace-guard.js";
import { parseWorkflowSource } from "../workflow/intake.js";
import { readMeta, type WorkflowMeta } from "../workflow/workflow-meta.js";

export type SavedScope = "project" | "personal";

export interface SavedWorkflow {
  /** meta.name, else the file name without its extension. */
  readonly name: string;
  readonly description: string;
  readonly whenToUse?: string;
  readonly meta?: WorkflowMeta;
  readonly scope: SavedScope;
  /** The folder as people write it: ".claude/workflows", "~/.agentwf/workflows". */
  readonly folder: string;
  /** Absolute path of the file. */
  readonly file: string;
  readonly code: string;
  /** sha256 of the file's bytes: what an approval is remembered by. */
  readonly sha256: string;
}

export interface SavedWorkflows {
  readonly workflows: readonly SavedWorkflow[];
  /** One line per file that could not be read, and per name that an earlier folder already had. */
  readonly problems: readonly string[];
}

const FOLDERS = [".agentwf/workflows", ".claude/workflows", ".qwen/workflows"] as const;
const EXTENSIONS = [".js", ".mjs", ".cjs", ".ts"];
// A folder with thousands of files is not a folder of workflows; listing stops there.
const MAX_FILES_PER_FOLDER = 500;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$/;

interface Folder {
  readonly scope: SavedScope;
  readonly shown: string;
  /** Reads one file of the folder by name; throws WorkspaceReadError. */
  readonly read: (name: string) => Promise<Buffer>;
  /** Lists the folder; a missing folder is empty. */
  readonly list: () => Promise<string[]>;
}

async function listDir(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isFile() && EXTENSIONS.includes(path.extname(e.name))).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

function projectFolders(cwd: string): Folder[] {
  let guard: ReturnType<typeof createWorkspaceGuard>;
  try {
    guard = createWorkspaceGuard(cwd);
  } catch {
    return [];
  }
  return FOLDERS.map((folder) => ({
    scope: "project",
    shown: folder,
    read: (name) => readWorkspaceFile(guard, `${folder}/${name}`, { maxBytes: MAX_SAVED_BYTES, purpose: "a saved workflow" }),
    list: async () => {
      try {
        // The folder itself must lie inside the workspace: `.claude` may be a symlink to anywhere.
        return await listDir(await guard.resolve(folder));
      } catch (error) {
        if (error instanceof WorkspacePathError) return [];
        throw error;
      }
    },
  }));
}

/** The personal folders: the person's own files, read with the same size cap and file-type checks. */
function personalFolders(env: Env): Folder[] {
  const home = env.HOME !== undefined && path.isAbsolute(env.HOME) ? env.HOME : os.homedir();
  const claudeDir = env.CLAUDE_CONFIG_DIR !== undefined && path.isAbsolute(env.CLAUDE_CONFIG_DIR) ? env.CLAUDE_CONFIG_DIR : path.join(home, ".claude");
  const dirs: Array<[string, string]> = [
    [path.join(home, ".agentwf", "workflows"), "~/.agentwf/workflows"],
    [path.join(claudeDir, "workflows"), env.CLAUDE_CONFIG_DIR !== undefined ? "$CLAUDE_CONFIG_DIR/workflows" : "~/.claude/workflows"],
    [path.join(home, ".qwen", "workflows"), "~/.qwen/workflows"],
  ];
  return dirs.map(([dir, shown]) => ({
    scope: "personal",
    shown,
    read: (name) => readRegularFile(path.join(dir, name), `${shown}/${name}`, { maxBytes: MAX_SAVED_BYTES, purpose: "a saved workflow" }),
    list: () => listDir(dir),
  }));
}

/** Size cap of one saved workflow file: ten times the default code limit, which validation then applies exactly. */
export const MAX_SAVED_BYTES = 1_000_000;

function describeFile(code: string): { meta?: WorkflowMeta } {
  try {
    const reading = readMeta(parseWorkflowSource(code).body as Parameters<typeof readMeta>[0]);
    return reading.kind === "ok" ? { meta: reading.meta } : {};
  } catch {
    // A file that does not parse is still listed by its file name; validation says what is wrong.
    return {};
  }
}

export function sha256(text: string | Buffer): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Every saved workflow, project folders first; the first of two with one name wins. */
export async function loadSavedWorkflows(cwd: string, env: Env): Promise<SavedWorkflows> {
  const workflows: SavedWorkflow[] = [];
  const problems: string[] = [];
  const byName = new Map<string, SavedWorkflow>();
  for (const folder of [...projectFolders(cwd), ...personalFolders(env)]) {
    const names = (await folder.list()).slice(0, MAX_FILES_PER_FOLDER);
    for (const fileName of names) {
      let bytes: Buffer;
      try {
        bytes = await folder.read(fileName);
      } catch (error) {
        if (error instanceof WorkspaceReadError) {
          problems.push(`${folder.shown}/${fileName}: ${error.message}`);
          continue;
        }
        throw error;
      }
      const code = bytes.toString("utf8");
      const { meta } = describeFile(code);
      const fallback = fileName.slice(0, -path.extname(fileName).length);
      const name = meta !== undefined && NAME.test(meta.name) ? meta.name : fallback;
      const saved: SavedWorkflow = {
        name,
        description: meta?.description ?? "(no meta header: add export const meta = { name, description })",
        ...(meta?.whenToUse !== undefined ? { whenToUse: meta.whenToUse } : {}),
        ...(meta !== undefined ? { meta } : {}),
        scope: folder.scope,
        folder: folder.shown,
        file: path.join(folder.shown, fileName),
        code,
        sha256: sha256(bytes),
      };
      const earlier = byName.get(name);
      if (earlier !== undefined) {
        problems.push(`${saved.file}: the name "${name}" is already taken by ${earlier.file}, which is the one that runs`);
        continue;
      }
      byName.set(name, saved);
      workflows.push(saved);
    }
  }
  return { workflows, problems };
}

/** The saved workflow called `name`, or undefined. */
export async function findSavedWorkflow(cwd: string, env: Env, name: string): Promise<{ found?: SavedWorkflow; all: SavedWorkflows }> {
  const all = await loadSavedWorkflows(cwd, env);
  const found = all.workflows.find((w) => w.name === name);
  return found === undefined ? { all } : { found, all };
}
