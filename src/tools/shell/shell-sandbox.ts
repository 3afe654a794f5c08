// The shell sandbox of one run: checked once at start (bubblewrap present and able to start here,
// and for read-only the overlay too), then used by every bash call. Where it cannot start, the run
// says so once and bash is not offered: never a shell without its sandbox by surprise.
import { accessSync, chmodSync, constants, mkdirSync, statSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import type { SandboxMode } from "../../config/sandbox-mode.js";
import { scrubbedEnv, type EnvLike } from "../../config/secret-env.js";
import { isInside } from "../../workspace/workspace-guard.js";
import { isDotEnvFile } from "../dotenv-policy.js";
import { SANDBOX_HOME, sandboxCommand, type SandboxCommand, type SandboxPaths } from "./sandbox-command.js";

export interface ShellSandboxOptions {
  readonly mode: SandboxMode;
  readonly workspace: string;
  readonly network: boolean;
  /** The person's environment: filtered to an allow-list, never passed on whole. */
  readonly env: EnvLike;
  /** The person allows reading `.env*` files; otherwise commands see them empty. */
  readonly allowDotEnv?: boolean;
  /** Where the copy-on-write layers go (default: the system's temporary directory). */
  readonly scratchParent?: string;
}

export interface ShellSandbox {
  readonly mode: SandboxMode;
  readonly workspace: string;
  readonly network: boolean;
  /** read-only: whether one agent's later commands see what its earlier ones wrote. */
  readonly layersKept: boolean;
  /** What a process started by a tool sees as its environment. */
  readonly env: Readonly<Record<string, string>>;
  /** The command for one script, run by the agent `agentId` (each agent has its own scratch layer). */
  command(script: string, agentId: string): SandboxCommand;
  /** Removes every scratch layer. */
  dispose(): void;
}

export type ShellSandboxSetup = { readonly ok: true; readonly sandbox: ShellSandbox } | { readonly ok: false; readonly reason: string };

// Overlay options are a comma-separated list with `:` between lower layers; such a path would be
// read as several options.
const OVERLAY_UNSAFE = /[,:\\]/;

/**
 * Directories with the programs a build needs: node's own prefix, and PATH entries outside the
 * person's home. Only directories this user can open: bwrap stops at a source it cannot reach.
 */
export function programDirs(env: EnvLike, personHome: string): string[] {
  const dirs = new Set<string>([path.dirname(path.dirname(process.execPath))]);
  for (const entry of (env.PATH ?? "").split(path.delimiter)) {
    if (!path.isAbsolute(entry) || entry === "/") continue;
    if (isInside(personHome, entry)) continue;
    dirs.add(path.resolve(entry));
  }
  return [...dirs].filter((dir) => {
    try {
      accessSync(dir, constants.R_OK | constants.X_OK);
      return statSync(dir).isDirectory();
    } catch {
      return false;
    }
  });
}

/**
 * Removes a scratch directory. overlayfs leaves its work directory at mode 000, and a command may
 * chmod what it made in its layer, so every directory is opened up first; what still fails is left
 * in the system's temporary directory rather than failing the run.
 */
export function removeScratch(dir: string): void {
  const openUp = (current: string): void => {
    try {
      chmodSync(current, 0o700);
      for (const entry of readdirSync(current, { withFileTypes: true })) if (entry.isDirectory()) openUp(path.join(current, entry.name));
    } catch {
      // Gone already, or not ours to open: rmSync says what is left.
    }
  };
  openUp(dir);
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // A command still dying may be writing into its layer; the temporary directory is cleaned later.
  }
}

// Scratch directories not removed yet: agentwf may exit (process.exit after a quick run) while a
// sandbox check is still under way, and what it made is removed then.
const liveScratch = new Set<string>();
let exitHookInstalled = false;

function trackScratch(dir: string): void {
  liveScratch.add(dir);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const left of liveScratch) removeScratch(left);
  });
}

// Bounds on the search for `.env*` files, so a huge repository costs a bounded start-up.
const DOTENV_SEARCH = { maxDepth: 8, maxEntries: 200_000, skip: new Set(["node_modules", ".git", "vendor", "target", "dist", "build", ".venv"]) };

/** The workspace's `.env*` regular files, found at start (a link is not followed: binding over one could fail the sandbox). */
export function findDotEnvFiles(workspace: string): string[] {
  const found: string[] = [];
  let seen = 0;
  const walk = (dir: string, depth: number): void => {
    if (depth > DOTENV_SEARCH.maxDepth || seen > DOTENV_SEARCH.maxEntries) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      seen += 1;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && !DOTENV_SEARCH.skip.has(entry.name)) walk(full, depth + 1);
      else if (entry.isFile() && isDotEnvFile(entry.name)) found.push(full);
    }
  };
  walk(workspace, 0);
  return found;
}

/** Sets the sandbox up and starts it once with `true`, so a sandbox that cannot start is known now. */
export async function prepareShellSandbox(options: ShellSandboxOptions): Promise<ShellSandboxSetup> {
  const { mode, workspace, network } = options;
  const personHome = options.env.HOME ?? os.homedir();
  const env = scrubbedEnv(options.env, mode === "danger-full-access" ? personHome : SANDBOX_HOME);
  if (mode === "read-only" && OVERLAY_UNSAFE.test(workspace)) {
    return { ok: false, reason: `the workspace path ${workspace} has a comma, colon or backslash, which overlayfs cannot take` };
  }
  let scratch: string | undefined;
  try {
    scratch = mode === "danger-full-access" ? undefined : mkdtempSync(path.join(options.scratchParent ?? os.tmpdir(), "agentwf-sandbox-"));
  } catch (error) {
    return { ok: false, reason: `no scratch directory for the sandbox: ${(error as Error).message}` };
  }
  if (scratch !== undefined) trackScratch(scratch);
  // The `.env*` files are looked for at the first command, not here: on a large tree the search is
  // a walk of its own (a quarter of a second over 100k files), and most runs never call bash.
  let hidden: SandboxPaths["hidden"] | "not searched" = "not searched";
  const hiddenFiles = (): SandboxPaths["hidden"] => {
    if (hidden !== "not searched") return hidden;
    const dotEnvFiles = options.allowDotEnv === true || scratch === undefined ? [] : findDotEnvFiles(workspace);
    hidden = undefined;
    if (scratch !== undefined && dotEnvFiles.length > 0) {
      const empty = path.join(scratch, "empty");
      writeFileSync(empty, "", { mode: 0o444 });
      hidden = { files: dotEnvFiles, empty };
    }
    return hidden;
  };
  const base: Omit<SandboxPaths, "overlay" | "hidden"> = { workspace, programDirs: programDirs(options.env, personHome) };
  const layers = new Map<string, SandboxPaths["overlay"]>();
  let kept = true;
  const layerFor = (agentId: string): SandboxPaths["overlay"] => {
    if (scratch === undefined || mode !== "read-only") return undefined;
    let layer = layers.get(agentId);
    if (layer === undefined) {
      const dir = mkdtempSync(path.join(scratch, "layer-"));
      if (kept) {
        layer = { kind: "kept", upper: path.join(dir, "upper"), work: path.join(dir, "work") };
        mkdirSync(layer.upper);
        mkdirSync(layer.work);
      } else {
        layer = { kind: "per-call", mountPoint: dir };
      }
      layers.set(agentId, layer);
    }
    return layer;
  };
  const sandbox: ShellSandbox = {
    mode,
    workspace,
    network: mode === "danger-full-access" ? true : network,
    get layersKept() {
      return kept;
    },
    env,
    command(script, agentId) {
      const overlay = layerFor(agentId);
      const files = hiddenFiles();
      return sandboxCommand(mode, { ...base, ...(overlay !== undefined ? { overlay } : {}), ...(files !== undefined ? { hidden: files } : {}) }, network, script);
    },
    dispose() {
      if (scratch !== undefined) {
        removeScratch(scratch);
        liveScratch.delete(scratch);
      }
      layers.clear();
    },
  };
  if (mode === "danger-full-access") return { ok: true, sandbox };

  const probeOnce = async () => {
    // Without the .env masks (found at the first real command): the probe checks that the sandbox starts.
    const overlay = layerFor("agentwf-probe");
    const probe = sandboxCommand(mode, { ...base, ...(overlay !== undefined ? { overlay } : {}) }, network, "exit 0");
    layers.delete("agentwf-probe");
    return execa(probe.file, [...probe.args], { env, extendEnv: false, reject: false, timeout: 20_000, stdin: "ignore", cwd: workspace });
  };
  // Both at once: the first sub-agent's tools wait for this check, so it is on the way to the
  // first request. Without bwrap the probe fails too, and the missing program is what is said.
  const [version, first] = await Promise.all([execa("bwrap", ["--version"], { env, extendEnv: false, reject: false, timeout: 20_000, stdin: "ignore" }), probeOnce()]);
  if (version.exitCode !== 0) {
    sandbox.dispose();
    return { ok: false, reason: "bubblewrap (bwrap) is not installed or cannot run; install it (Debian/Ubuntu: apt-get install bubblewrap)" };
  }
  let result = first;
  if (result.exitCode !== 0 && mode === "read-only") {
    // The temporary directory may not take an overlay's upper layer: try a tmpfs per command.
    kept = false;
    result = await probeOnce();
  }
  if (result.exitCode === 0) return { ok: true, sandbox };
  sandbox.dispose();
  const detail = String(result.stderr || result.shortMessage).trim().split("\n")[0] ?? "";
  const what = mode === "read-only" ? "bubblewrap with an overlayfs in a user namespace (unshare -Urm)" : "bubblewrap";
  return {
    ok: false,
    reason: `${what} could not start here (${detail || `exit code ${result.exitCode}`})`,
  };
}
