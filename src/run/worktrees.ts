// Worktree isolation for sub-agents that change files (`isolation: "worktree"`): each gets its own
// `git worktree` under the run's folder, checked out at a snapshot of the workspace as the person
// left it when the first isolated agent started: HEAD, plus uncommitted changes (staged or not) and
// untracked files that are not ignored, so a fixer working on uncommitted work sees it, and its
// diff is relative to the person's current files. Ignored files (node_modules, build output, .env)
// are not in the snapshot. The snapshot is a commit made through a private copy of the index
// (`GIT_INDEX_FILE`): the person's index, stash, branches and files are never touched. Parallel
// editors never touch each other's files or the person's. What an agent changed comes back as a patch, saved in the run
// folder; a worktree with no changes is removed, one with changes is kept until its patch is
// applied. `apply` brings patches into the workspace one by one with `git apply`, which writes a
// patch whole or not at all: a patch that no longer applies is reported as a conflict, with the
// patch file and the worktree kept, never half-applied and never lost.
//
// The repository may have been written by an attacker, and these git commands run outside any
// sandbox, so hooks and fsmonitor are switched off on every call, diffs never run external diff
// or textconv programs, and a repository whose own config defines filter programs (which
// checkout and `git add` would run) is refused.
import { access, copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import type { ApplyReport, PatchInfo } from "../workflow/types.js";

export const MAX_DIFF_CHARS = 64 * 1024;

const GIT_TIMEOUT_MS = 120_000;

// Overrides that win over any config file: nothing the repository configures runs as a program.
const SAFE_CONFIG = ["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false"];

/** A worktree could not be made or read; the message says why and what to do. */
export class WorktreeError extends Error {
  override readonly name = "WorktreeError";
}

export interface Worktree {
  /** Where the agent's tools work: the workspace's place inside the worktree. */
  readonly root: string;
  readonly path: string;
  /** Collects the agent's changes: null (and the worktree removed) when there are none. */
  finish(): Promise<PatchInfo | null>;
}

export interface Worktrees {
  create(agentId: string): Promise<Worktree>;
  apply(ids: readonly string[]): Promise<ApplyReport>;
}

interface Repository {
  readonly top: string;
  /** The workspace relative to the top, with a trailing slash, or "". */
  readonly prefix: string;
  readonly base: string;
}

interface Kept {
  readonly files: readonly string[];
  readonly patchFile: string;
  readonly worktree: string;
  /** Saved by an earlier attempt of this run (before --resume), found in the run folder. */
  readonly earlier?: boolean;
}

/** The paths `git apply --numstat -z` lists: `A\tD\tpath\0`, or `A\tD\t\0old\0new\0` for a rename. */
export function numstatPaths(out: string): string[] {
  const fields = out.split("\0");
  const files: string[] = [];
  for (let i = 0; i < fields.length; i += 1) {
    const field = fields[i] ?? "";
    const stat = /^(?:\d+|-)\t(?:\d+|-)\t(.*)$/s.exec(field);
    if (stat === null) continue;
    if (stat[1] !== "") files.push(stat[1] ?? "");
    else {
      files.push(fields[i + 2] ?? "");
      i += 2;
    }
  }
  return files.filter((f) => f !== "");
}

function gitEnv(): Record<string, string> {
  // GIT_DIR and friends from the person's shell would point every command at another repository.
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith("GIT_")) env[key] = value;
  return { ...env, GIT_TERMINAL_PROMPT: "0", GIT_OPTIONAL_LOCKS: "0" };
}

async function git(cwd: string, args: readonly string[], extraEnv: Record<string, string> = {}): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  const result = await execa("git", [...SAFE_CONFIG, ...args], { cwd, env: { ...gitEnv(), ...extraEnv }, extendEnv: false, reject: false, timeout: GIT_TIMEOUT_MS, stripFinalNewline: false });
  return { ok: result.exitCode === 0, stdout: String(result.stdout), stderr: String(result.stderr).trim() };
}

async function gitOrThrow(cwd: string, args: readonly string[], what: string, extraEnv: Record<string, string> = {}): Promise<string> {
  const result = await git(cwd, args, extraEnv);
  if (!result.ok) throw new WorktreeError(`${what}: ${result.stderr.split("\n")[0] || "git failed"}`);
  return result.stdout;
}

/** Finds the repository, refuses one whose config would run programs, and snapshots its state. */
async function openRepository(workspace: string): Promise<Repository> {
  const inside = await git(workspace, ["rev-parse", "--show-toplevel"]);
  if (!inside.ok) throw new WorktreeError(`isolation "worktree" needs a git repository, and ${workspace} is not in one; run \`git init && git add -A && git commit\` first, or drop the isolation option`);
  const top = inside.stdout.trim();
  const prefix = (await gitOrThrow(workspace, ["rev-parse", "--show-prefix"], "cannot place the workspace in its repository")).trim();
  const filters = await git(top, ["config", "--local", "--includes", "--name-only", "--get-regexp", "^(filter\\..*\\.(clean|smudge|process)|diff\\..*\\.(command|textconv))$"]);
  const programs = filters.stdout.split("\n").filter((l) => l.trim() !== "");
  if (programs.length > 0) {
    throw new WorktreeError(`the repository's .git/config defines programs that checkout or diff would run (${programs.join(", ")}); agentwf makes no worktrees here; remove them or drop the isolation option`);
  }
  const head = await git(top, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]);
  if (!head.ok) throw new WorktreeError("the repository has no commit yet, so there is nothing to check out into a worktree; commit once first");
  return { top, prefix, base: await snapshotCommit(top, head.stdout.trim()) };
}

// The snapshot's commit names agentwf, whoever the person is (and works when git knows no name).
const SNAPSHOT_IDENTITY = {
  GIT_AUTHOR_NAME: "agentwf",
  GIT_AUTHOR_EMAIL: "agentwf@localhost",
  GIT_COMMITTER_NAME: "agentwf",
  GIT_COMMITTER_EMAIL: "agentwf@localhost",
};

/**
 * A commit of the working tree as it is (HEAD when nothing differs): uncommitted changes and
 * untracked, non-ignored files are what the person sees, so agents start from them. It is built in
 * a copy of the index (its stat cache makes `add -A` cost only the changed files) and reachable from
 * nothing, so the person's repository looks the same afterwards (git gc removes it later).
 */
async function snapshotCommit(top: string, head: string): Promise<string> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), "agentwf-index-"));
  const env = { GIT_INDEX_FILE: path.join(scratch, "index") };
  try {
    const index = path.resolve(top, (await gitOrThrow(top, ["rev-parse", "--git-path", "index"], "cannot find the repository's index")).trim());
    try {
      await copyFile(index, env.GIT_INDEX_FILE);
    } catch {
      await gitOrThrow(top, ["read-tree", head], "cannot snapshot the workspace", env);
    }
    const what = "cannot snapshot the workspace's uncommitted and untracked files";
    // --ignore-errors: an unreadable file stays out of the snapshot rather than failing the agent.
    await gitOrThrow(top, ["add", "-A", "--ignore-errors", "--", "."], what, env);
    const tree = (await gitOrThrow(top, ["write-tree"], what, env)).trim();
    const headTree = (await gitOrThrow(top, ["rev-parse", `${head}^{tree}`], what)).trim();
    if (tree === headTree) return head;
    const message = "agentwf: the workspace as the person left it (uncommitted and untracked files)";
    return (await gitOrThrow(top, ["commit-tree", "--no-gpg-sign", tree, "-p", head, "-m", message], what, SNAPSHOT_IDENTITY)).trim();
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function cutDiff(diff: string): string {
  if (diff.length <= MAX_DIFF_CHARS) return diff;
  return `${diff.slice(0, MAX_DIFF_CHARS)}\n[… diff cut by agentwf: ${diff.length - MAX_DIFF_CHARS} of ${diff.length} characters; the whole patch is in the run folder …]\n`;
}

const SAFE_ID = /^[A-Za-z0-9._-]{1,80}$/;

export function createWorktrees(options: { readonly workspace: string; readonly runDir: () => Promise<string> }): Worktrees {
  let repository: Promise<Repository> | undefined;
  // Worktree bookkeeping in the repository's .git is not made for concurrent writers.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
  const kept = new Map<string, Kept>();
  const done = new Set<string>();

  const repo = (): Promise<Repository> => {
    repository ??= openRepository(options.workspace);
    return repository;
  };

  // A resumed run replays a finished isolated agent's result, patch id included, without running
  // it again: its patch and worktree are still in the run folder from the earlier attempt.
  const fromEarlierAttempt = async (id: string): Promise<Kept | undefined> => {
    if (!SAFE_ID.test(id)) return undefined;
    const runDir = await options.runDir();
    const patchFile = path.join(runDir, "patches", `${id}.patch`);
    const found = await access(patchFile).then(
      () => true,
      () => false,
    );
    if (!found) return undefined;
    const { top } = await repo();
    const stat = await git(top, ["apply", "--numstat", "-z", patchFile]);
    return { files: stat.ok ? numstatPaths(stat.stdout) : [], patchFile, worktree: path.join(runDir, "worktrees", id), earlier: true };
  };

  return {
    async create(agentId) {
      if (!SAFE_ID.test(agentId)) throw new WorktreeError(`cannot name a worktree after agent id "${agentId}"`);
      const { top, prefix, base } = await repo();
      const runDir = await options.runDir();
      const where = path.join(runDir, "worktrees", agentId);
      await mkdir(path.dirname(where), { recursive: true });
      await serial(() => gitOrThrow(top, ["worktree", "add", "--detach", "--quiet", where, base], "cannot create the agent's worktree"));
      const root = path.join(where, prefix);
      return {
        root,
        path: where,
        async finish() {
          await gitOrThrow(where, ["add", "-A"], "cannot read the agent's changes");
          const diff = await gitOrThrow(where, ["diff", "--cached", "--binary", "--no-ext-diff", "--no-textconv", "--no-color", base], "cannot read the agent's changes");
          if (diff.trim() === "") {
            await serial(() => git(top, ["worktree", "remove", "--force", where]));
            return null;
          }
          const names = await gitOrThrow(where, ["diff", "--cached", "--name-only", "-z", "--no-ext-diff", base], "cannot list the agent's changes");
          const files = names.split("\0").filter((n) => n !== "");
          const patchFile = path.join(runDir, "patches", `${agentId}.patch`);
          await mkdir(path.dirname(patchFile), { recursive: true });
          await writeFile(patchFile, diff, { mode: 0o600 });
          kept.set(agentId, { files, patchFile, worktree: where });
          return { id: agentId, files, diff: cutDiff(diff) };
        },
      };
    },

    async apply(ids) {
      const applied: string[] = [];
      const conflicts: Array<ApplyReport["conflicts"][number]> = [];
      const { top } = await repo();
      for (const id of ids) {
        const patch = kept.get(id) ?? (done.has(id) ? undefined : await fromEarlierAttempt(id));
        if (patch === undefined) {
          conflicts.push({ id, files: [], error: done.has(id) ? "already applied" : "no such patch in this run", patchFile: "" });
          continue;
        }
        // One patch at a time, each whole or not at all: what does not apply stays in the run folder.
        const result = await serial(() => git(top, ["apply", "--binary", "--whitespace=nowarn", patch.patchFile]));
        // A resumed run may ask again for a patch its earlier attempt applied before it was stopped.
        const appliedBefore = !result.ok && patch.earlier === true && (await git(top, ["apply", "--binary", "--reverse", "--check", patch.patchFile])).ok;
        if (!result.ok && !appliedBefore) {
          conflicts.push({ id, files: patch.files, error: result.stderr.split("\n").slice(0, 3).join("; ") || "git apply failed", patchFile: patch.patchFile, worktree: patch.worktree });
          continue;
        }
        applied.push(id);
        done.add(id);
        kept.delete(id);
        await serial(() => git(top, ["worktree", "remove", "--force", patch.worktree]));
      }
      return { applied, conflicts };
    },
  };
}
