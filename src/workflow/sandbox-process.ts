// The sandbox child process, started ahead of need. Starting Node with --no-node-snapshot and
// loading isolated-vm takes a few hundred milliseconds; `prepareSandbox` starts one child when a
// command that runs workflows launches, so it loads in parallel with the CLI's own start-up and
// the type check, and the first workflow takes it ready. The child holds no code and no keys
// until it is sent a workflow. Later workflows of the same run start their own child.
import { fork, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import module from "node:module";
import { fileURLToPath } from "node:url";
import type { ParentMessage } from "./sandbox-protocol.js";

export interface SandboxEnd {
  readonly signal: string | undefined;
  readonly exitCode: number | undefined;
  /** The end of what the child wrote to stderr (at most 64 KB). */
  readonly stderr: string;
}

export interface SandboxProcess {
  readonly child: ChildProcess;
  /** Every message of the child since it started, in order: none is lost while it waits as a spare. */
  readonly messages: AsyncIterable<unknown>;
  /** Sends a message; one the child can no longer take is dropped (its exit decides the outcome). */
  send(message: ParentMessage): void;
  /** Settles when the child has exited and its stderr is read. */
  readonly ended: Promise<SandboxEnd>;
}

const MAX_STDERR = 64 * 1024;

/**
 * The child's own heap holds little (the workflow's memory is the isolate's, bounded apart), yet
 * V8 grows its young generation as messages pass; 1 MB semi-spaces keep it small at the cost of
 * more, smaller scavenges: the child's peak for 1,000 agents fell from 76 to 70 MB (issue 13,
 * benchmark 5).
 */
const CHILD_NODE_OPTIONS = ["--no-node-snapshot", "--max-semi-space-size=1"];

// The child runs from the built JavaScript; under the test runner, from the TypeScript source
// through tsx, so that tests exercise the code they import.
function childCommand(): { file: string; nodeOptions: string[] } {
  const js = fileURLToPath(new URL("./sandbox-child.js", import.meta.url));
  if (existsSync(js)) return { file: js, nodeOptions: CHILD_NODE_OPTIONS };
  return { file: fileURLToPath(new URL("./sandbox-child.ts", import.meta.url)), nodeOptions: [...CHILD_NODE_OPTIONS, "--import", "tsx"] };
}

// Node's own fork, not execa: the CLI's start-up does not load execa's hundred modules for this.
function spawnSandbox(): SandboxProcess {
  const { file, nodeOptions } = childCommand();
  // The launcher's compile cache (bin/agentwf.js) also serves the child's modules: a path, no secret.
  const cache = module.getCompileCacheDir?.();
  const child = fork(file, [], {
    execArgv: nodeOptions,
    serialization: "json",
    stdio: ["ignore", "ignore", "pipe", "ipc"],
    // The child's environment holds no keys: it never talks to a model server.
    env: { PATH: process.env.PATH ?? "", ...(cache !== undefined ? { NODE_COMPILE_CACHE: cache } : {}) },
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    stderr = (stderr + text).slice(-MAX_STDERR);
  });
  const ended = new Promise<SandboxEnd>((resolve) => {
    child.once("close", (code, signal) => resolve({ signal: signal ?? undefined, exitCode: code ?? undefined, stderr }));
    child.once("error", () => resolve({ signal: undefined, exitCode: undefined, stderr: stderr || "the sandbox process could not start" }));
  });
  // One reader from the start, buffering: a spare's "ready" arrives before anyone listens.
  const queue: unknown[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  const finish = () => {
    done = true;
    wake?.();
  };
  child.on("message", (message: unknown) => {
    queue.push(message);
    wake?.();
  });
  child.once("disconnect", finish);
  child.once("exit", finish);
  child.once("error", finish);
  const messages: AsyncIterable<unknown> = {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (queue.length > 0) {
          yield queue.shift();
          continue;
        }
        if (done) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    },
  };
  const send = (message: ParentMessage): void => {
    if (child.exitCode !== null || child.signalCode !== null || !child.connected) return;
    try {
      child.send(message, (error) => void error);
    } catch {
      // disconnected between the check and the send
    }
  };
  return { child, messages, send, ended };
}

let spare: SandboxProcess | undefined;

const alive = (p: SandboxProcess): boolean => p.child.exitCode === null && p.child.signalCode === null && p.child.connected;

/** Starts a sandbox child for the first workflow, unless one is waiting already. */
export function prepareSandbox(): void {
  if (spare !== undefined && alive(spare)) return;
  try {
    spare = spawnSandbox();
    // A waiting spare must not keep the CLI alive; `takeSandbox` references it again.
    spare.child.unref();
    spare.child.channel?.unref();
  } catch {
    spare = undefined;
  }
}

/** The waiting child if it is still alive, else a new one. */
export function takeSandbox(): SandboxProcess {
  const ready = spare;
  spare = undefined;
  if (ready !== undefined && alive(ready)) {
    ready.child.ref();
    ready.child.channel?.ref();
    return ready;
  }
  if (ready !== undefined) ready.child.kill("SIGKILL");
  return spawnSandbox();
}
