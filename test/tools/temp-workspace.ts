// Temporary directories for the tool tests: a workspace and, beside it, an "outside" directory
// that escapes must not reach. Both live under os.tmpdir() and are removed after each test.
import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ToolContext } from "../../src/tools/tool.js";

export interface TempWorkspace {
  /** The workspace root, symlinks resolved (os.tmpdir() is a symlink on macOS). */
  readonly root: string;
  /** A sibling directory outside the workspace. */
  readonly outside: string;
  write(relativePath: string, content: string | Uint8Array): Promise<string>;
  remove(): Promise<void>;
}

// Creates a fresh workspace and outside directory under one temp parent.
export async function createTempWorkspace(): Promise<TempWorkspace> {
  const parent = await realpath(await mkdtemp(path.join(os.tmpdir(), "agentwf-tools-")));
  const root = path.join(parent, "workspace");
  const outside = path.join(parent, "outside");
  await mkdir(root);
  await mkdir(outside);
  return {
    root,
    outside,
    async write(relativePath, content) {
      const file = path.join(root, relativePath);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
      return file;
    },
    remove: () => rm(parent, { recursive: true, force: true }),
  };
}

// A tool context whose signal never fires.
export function idleContext(): ToolContext {
  return { signal: new AbortController().signal };
}
