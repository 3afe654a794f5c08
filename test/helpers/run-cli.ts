// Spawns the built CLI as a user would, with a hermetic environment: no real keys, a temporary
// state directory, and only the variables a test passes.
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const BIN = path.join(REPO_ROOT, "bin", "agentwf.js");

export interface CliRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRunOptions {
  readonly env?: Record<string, string>;
  readonly cwd?: string;
  readonly input?: string;
  readonly timeoutMs?: number;
}

/** A fresh AGENTWF_HOME for one test. */
export function tempHome(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), "agentwf-home-"));
}

export async function runCli(args: readonly string[], options: CliRunOptions = {}): Promise<CliRun> {
  const result = await execa(process.execPath, ["--no-node-snapshot", BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? os.tmpdir(), NO_COLOR: "1", ...options.env },
    extendEnv: false,
    reject: false,
    timeout: options.timeoutMs ?? 60_000,
    ...(options.input !== undefined ? { input: options.input } : { stdin: "ignore" }),
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Starts the built CLI without waiting for it, in its own process group (as a shell job is), so a
 * test can signal it mid-run: `kill(-pid, "SIGINT")` is what a terminal's Ctrl-C sends.
 */
export function spawnCli(args: readonly string[], options: CliRunOptions = {}) {
  return execa(process.execPath, ["--no-node-snapshot", BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? os.tmpdir(), NO_COLOR: "1", ...options.env },
    extendEnv: false,
    reject: false,
    detached: true,
    timeout: options.timeoutMs ?? 60_000,
    stdin: "ignore",
  });
}
