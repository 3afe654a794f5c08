// How the benchmarks start agentwf: the built CLI under plain `node`, as `npm install -g` runs it,
// with a hermetic environment (no real keys, a scratch home) and a compile cache kept across runs.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const BIN = path.join(REPO_ROOT, "bin", "agentwf.js");
export const CACHE_ROOT = path.join(os.homedir(), ".cache", "agentwf-bench");

/** A scratch workspace with a few files, and a state home, for one benchmark. */
export function scratch(name: string): { readonly workspace: string; readonly home: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), `agentwf-bench-${name}-`));
  const workspace = path.join(root, "workspace");
  mkdirSync(path.join(workspace, "src"), { recursive: true });
  writeFileSync(path.join(workspace, "README.md"), "# a small project\n");
  writeFileSync(path.join(workspace, "src", "index.js"), "export const answer = 42;\n");
  const home = path.join(root, "home");
  mkdirSync(home);
  return { workspace, home };
}

export function cliEnv(home: string, baseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: home,
    AGENTWF_HOME: path.join(home, "state"),
    // The compile cache survives between runs, as it does on a person's machine.
    XDG_CACHE_HOME: path.join(CACHE_ROOT, "xdg-cache"),
    AGENTWF_API_KEY: "bench",
    AGENTWF_BASE_URL: baseUrl,
    NO_COLOR: "1",
    ...extra,
  };
}

export function cliArgs(...args: string[]): string[] {
  return [BIN, ...args];
}

/** The environment for a run on a pseudo-terminal: colours on, as in a person's terminal. */
export function ttyEnv(env: Record<string, string>): Record<string, string> {
  const { NO_COLOR: _unused, ...rest } = env;
  return { ...rest, TERM: "xterm-256color" };
}
