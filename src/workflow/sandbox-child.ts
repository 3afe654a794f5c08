// The sandbox child process: one workflow, one isolate. It asks the CLI for every sub-agent over
// IPC and reports the outcome; when it dies (V8 aborts on some out-of-memory paths), only this
// process goes, and the CLI reports the limit.
import { runInIsolate } from "./isolate-runner.js";
import { ParentMessageSchema, type ChildMessage } from "./sandbox-protocol.js";
import type { Dialect } from "./dialect.js";
import type { Determinism, WorkflowLimits } from "./types.js";

// Without its parent there is no one to report to.
process.on("disconnect", () => process.exit(1));
// A terminal's Ctrl-C reaches the whole process group, this child too; the CLI decides (it may ask
// the person first) and ends this process itself, so the signal is not this process's to act on.
process.on("SIGINT", () => {});

/** Sends over the IPC channel the CLI's fork() opened; resolves once it is handed to the channel. */
function sendMessage(message: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (process.send === undefined || !process.connected) return reject(new Error("no IPC channel"));
    process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

const pending = new Map<number, (envelope: string) => void>();
let nextId = 0;
let running = false;

function callAgent(request: string): Promise<string> {
  nextId += 1;
  const id = nextId;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    sendMessage({ type: "agent", id, request }).catch(() => resolve(JSON.stringify({ ok: false, error: "the CLI went away" })));
  });
}

async function start(code: string, input: unknown, limits: WorkflowLimits, dialect: Dialect, budgetTokens: number | undefined, determinism: Determinism | undefined): Promise<void> {
  const outcome = await runInIsolate({
    code,
    determinism,
    ...(input !== undefined ? { input } : {}),
    limits,
    dialect,
    ...(budgetTokens !== undefined ? { budgetTokens } : {}),
    callAgent,
    onPhase: (title) => {
      sendMessage({ type: "phase", title }).catch(() => {});
    },
    log: (text) => {
      sendMessage({ type: "log", text }).catch(() => {});
    },
  });
  await sendMessage({ type: "done", outcome });
  process.exit(0);
}

process.on("message", (raw: unknown) => {
  const parsed = ParentMessageSchema.safeParse(raw);
  if (!parsed.success) return;
  const message = parsed.data;
  if (message.type === "agent_result") {
    pending.get(message.id)?.(message.envelope);
    pending.delete(message.id);
  } else if (!running) {
    running = true;
    void start(message.code, message.input, message.limits as unknown as WorkflowLimits, message.dialect, message.budgetTokens, message.determinism);
  }
});
await sendMessage({ type: "ready" });
