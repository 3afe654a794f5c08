// Every path read from the workspace goes through here: tools, AGENTS.md, agent files, config.
// Checking the text of a path is not enough: a symlink inside the workspace can point anywhere, so
// the check runs on the real path (fs.realpath), and a path that does not exist yet is checked
// through its nearest existing parent. This room imports nothing of ours, so every room may use it.
import { realpathSync } from "node:fs";
import { lstat, readlink, realpath } from "node:fs/promises";
import path from "node:path";

/** A path the guard refuses; the message says why and what to do instead. */
export class WorkspacePathError extends Error {
  override readonly name = "WorkspacePathError";
}

export interface WorkspaceGuard {
  /** The workspace root with symlinks resolved. */
  readonly root: string;
  /** Resolves `input` (relative to the root, or absolute) to a real absolute path inside the workspace. */
  resolve(input: string): Promise<string>;
  /** Renders an absolute path inside the workspace relative to the root, with `/` separators. */
  relative(absolutePath: string): string;
}

// Linux gives up after 40 links (ELOOP); following dangling links by hand uses the same ceiling.
const MAX_SYMLINK_HOPS = 40;

// Creates a guard for the workspace at `root`; throws when the root itself does not exist.
export function createWorkspaceGuard(root: string): WorkspaceGuard {
  const lexicalRoot = path.resolve(root);
  let realRoot: string;
  try {
    realRoot = realpathSync.native(lexicalRoot);
  } catch (error) {
    throw new WorkspacePathError(`workspace ${lexicalRoot} cannot be opened (${(error as Error).message})`);
  }

  const rootPrefix = realRoot.endsWith(path.sep) ? realRoot : `${realRoot}${path.sep}`;
  const outside = (input: string, why: string): WorkspacePathError =>
    new WorkspacePathError(`path "${input}" ${why} the workspace ${realRoot}; use a path inside it`);

  return {
    root: realRoot,
    async resolve(input) {
      if (input.includes("\0")) throw new WorkspacePathError(`path "${input.replaceAll("\0", "\\0")}" contains a NUL byte; send a plain path`);
      const lexical = path.resolve(lexicalRoot, input);
      // Refusing early keeps `..` escapes from probing the file system outside.
      if (!isInside(lexicalRoot, lexical) && !isInside(realRoot, lexical)) throw outside(input, "is outside");
      const real = await realPathOf(lexical, input);
      if (!isInside(realRoot, real)) throw outside(input, `leads through a symbolic link to ${real}, outside`);
      return real;
    },
    relative(absolutePath) {
      // The common case by slicing: path.relative normalizes both sides, and this runs once per
      // file a listing shows (92k times over a 100k-file tree).
      // Only a path with nothing to normalize: no `.` or `..` segment and no doubled separator
      // (also none right after the root: "root//a" must not come back as "/a").
      if (absolutePath.startsWith(rootPrefix) && !absolutePath.includes(`${path.sep}.`) && !absolutePath.includes(`${path.sep}${path.sep}`)) {
        const rel = absolutePath.slice(rootPrefix.length);
        if (rel !== "" && !rel.endsWith(path.sep)) return rel.replaceAll(path.sep, "/");
      }
      const rel = path.relative(realRoot, absolutePath);
      return rel === "" ? "." : rel.split(path.sep).join("/");
    },
  };
}

// True when `candidate` is `parent` or lies below it; `..foo` is a name, not an escape.
export function isInside(parent: string, candidate: string): boolean {
  const rel = path.relative(parent, candidate);
  if (rel === "") return true;
  return rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

// Resolves every symlink in `target`, including dangling ones and missing tails, so that a file
// created later at the returned path cannot land somewhere else.
async function realPathOf(target: string, input: string): Promise<string> {
  let current = target;
  const missing: string[] = [];
  let hops = 0;
  for (;;) {
    try {
      return path.join(await realpath(current), ...missing);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ELOOP") throw loops(input);
      if (code !== "ENOENT" && code !== "ENOTDIR") throw error;
    }
    const link = await lstat(current).catch(() => undefined);
    if (link?.isSymbolicLink()) {
      // A dangling link: realpath fails, yet writing through it would create its target. Its
      // target is relative to the link's real directory, which may differ from the lexical one.
      if ((hops += 1) > MAX_SYMLINK_HOPS) throw loops(input);
      current = path.resolve(await realpath(path.dirname(current)), await readlink(current));
      continue;
    }
    const parent = path.dirname(current);
    if (parent === current) throw new WorkspacePathError(`path "${input}" cannot be resolved; check it with list_dir`);
    missing.unshift(path.basename(current));
    current = parent;
  }
}

function loops(input: string): WorkspacePathError {
  return new WorkspacePathError(`path "${input}" loops through symbolic links; use the file's real path`);
}
