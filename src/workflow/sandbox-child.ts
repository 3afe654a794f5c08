// The sandbox child process: one workflow, one isolate. It asks the CLI for every sub-agent over
// IPC and reports the outcome; when it dies (V8 aborts on some out-of-memory paths), only this
// process goes, and the CLI reports the limit.
import { getEachMessage, sendMessage } from "execa";
import { runInIsolate } from "./isolate-runner.js";
import { ParentMessageSchema } from "./sandbox-protocol.js";
import type { Dialect } from "./dialect.js";
import type { WorkflowLimits } from "./types.js";

// Without its parent there is no one to report to.
process.on("disconnect", () => process.exit(1));

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

async function start(code: string, input: unknown, limits: WorkflowLimits, dialect: Dialect, budgetTokens: number | undefined): Promise<void> {
  const outcome = await runInIsolate({
    code,
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

await sendMessage({ type: "ready" });
for await (const raw of getEachMessage()) {
  const parsed = ParentMessageSchema.safeParse(raw);
  if (!parsed.success) continue;
  const message = parsed.data;
  if (message.type === "agent_result") {
    pending.get(message.id)?.(message.envelope);
    pending.delete(message.id);
  } else if (!running) {
    running = true;
    void start(message.code, message.input, message.limits as unknown as WorkflowLimits, message.dialect, message.budgetTokens);
  }
}
