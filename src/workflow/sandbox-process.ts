// The sandbox child process, started ahead of need. Starting Node with --no-node-snapshot and
// loading isolated-vm takes a few hundred milliseconds; `prepareSandbox` starts one child when a
// command that runs workflows launches, so it loads in parallel with the CLI's own start-up and
// the type check, and the first workflow takes it ready. The child holds no code and no keys
// until it is sent a workflow. Later workflows of the same run start their own child.
import { existsSync } from "node:fs";
import module from "node:module";
import { fileURLToPath } from "node:url";
import { execaNode, type ResultPromise } from "execa";

type Child = ResultPromise<{ ipc: true; serialization: "json"; stdin: "ignore"; stdout: "ignore"; stderr: "pipe"; reject: false }>;

export interface SandboxProcess {
  readonly child: Child;
  /** Every message of the child since it started, in order: none is lost while it waits as a spare. */
  readonly messages: AsyncIterable<unknown>;
}

// The child runs from the built JavaScript; under the test runner, from the TypeScript source
// through tsx, so that tests exercise the code they import.
function childCommand(): { file: string; nodeOptions: string[] } {
  const js = fileURLToPath(new URL("./sandbox-child.js", import.meta.url));
  if (existsSync(js)) return { file: js, nodeOptions: ["--no-node-snapshot"] };
  return { file: fileURLToPath(new URL("./sandbox-child.ts", import.meta.url)), nodeOptions: ["--no-node-snapshot", "--import", "tsx"] };
}

function spawnSandbox(): SandboxProcess {
  const { file, nodeOptions } = childCommand();
  // The launcher's compile cache (bin/agentwf.js) also serves the child's modules: a path, no secret.
  const cache = module.getCompileCacheDir?.();
  const child: Child = execaNode(file, [], {
    nodeOptions,
    ipc: true,
    serialization: "json",
    stdin: "ignore",
    stdout: "ignore",
    stderr: "pipe",
    reject: false,
    // The child's environment holds no keys: it never talks to a model server.
    env: { PATH: process.env.PATH ?? "", ...(cache !== undefined ? { NODE_COMPILE_CACHE: cache } : {}) },
    extendEnv: false,
    maxBuffer: 64 * 1024,
  });
  // One reader from the start, buffering: a spare's "ready" arrives before anyone listens.
  const queue: unknown[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  void (async () => {
    try {
      // Not referenced: a waiting spare must not keep the CLI alive; a running workflow is kept
      // alive by the child process handle, which `takeSandbox` references.
      for await (const message of child.getEachMessage({ reference: false })) {
        queue.push(message);
        wake?.();
      }
    } catch {
      // the child went away; its exit says how
    } finally {
      ended = true;
      wake?.();
    }
  })();
  const messages: AsyncIterable<unknown> = {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (queue.length > 0) {
          yield queue.shift();
          continue;
        }
        if (ended) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    },
  };
  return { child, messages };
}

let spare: SandboxProcess | undefined;

const alive = (p: SandboxProcess): boolean => p.child.exitCode === null && p.child.signalCode === null && p.child.connected;

/** Starts a sandbox child for the first workflow, unless one is waiting already. */
export function prepareSandbox(): void {
  if (spare !== undefined && alive(spare)) return;
  try {
    spare = spawnSandbox();
    spare.child.unref();
    spare.child.catch(() => undefined);
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
    return ready;
  }
  if (ready !== undefined) ready.child.kill("SIGKILL");
  return spawnSandbox();
}
