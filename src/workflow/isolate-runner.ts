// Runs one workflow in a fresh isolated-vm isolate. This runs inside the sandbox child process
// (sandbox-child.ts), never in the CLI's own process: some allocations make V8 abort the whole
// process instead of failing the isolate (isolated-vm #457, #527), and that must cost a workflow,
// not the run. Each limit is a racing promise; the first to fire is the reason (execa's habit).
import type ivm from "isolated-vm";
import { isolatedVm } from "./isolated-vm.js";
import { z } from "zod";
import { limitMessage } from "./limit-messages.js";
import { createStopLatch } from "./stop-latch.js";
import { RUNTIME_SOURCE } from "./runtime-source.js";
import type { Dialect } from "./dialect.js";
import type { Determinism, WorkflowFailureKind, WorkflowLimits } from "./types.js";
import { cleanUntrusted } from "../text/safe-text.js";

export type IsolateOutcome =
  | { readonly ok: true; readonly result: string }
  | { readonly ok: false; readonly kind: WorkflowFailureKind; readonly error: string };

export interface IsolateRunOptions {
  /** The script to compile: the workflow's code as isolate-script.ts prepares it for its dialect. */
  readonly code: string;
  readonly input?: unknown;
  readonly limits: WorkflowLimits;
  /** Sends one agent request (JSON text) to the host; resolves with the envelope (JSON text). */
  readonly callAgent: (requestJson: string) => Promise<string>;
  readonly log: (text: string) => void;
  readonly determinism?: Determinism;
  /** Which globals the code gets; default "main" (`wf`). */
  readonly dialect?: Dialect;
  /** The run's token budget, shown to a Claude-format script as `budget.total`. */
  readonly budgetTokens?: number;
  /** phase(title) in a Claude-format script. */
  readonly onPhase?: (title: string) => void;
}

const rss = (): number => process.memoryUsage().rss;

/** Characters one sub-agent's prompt may have. */
export const MAX_PROMPT_CHARS = 1_000_000;

const EnvelopeSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("string"), value: z.string() }),
  z.object({ type: z.literal("json"), value: z.string() }),
  z.object({ type: z.literal("undefined") }),
  z.object({ type: z.literal("error"), error: z.string(), kind: z.literal("memory").optional() }),
]);

function fromEnvelope(text: string, limits: WorkflowLimits): IsolateOutcome {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, kind: "invalid_result", error: "the workflow returned a malformed result" };
  }
  const parsed = EnvelopeSchema.safeParse(json);
  if (!parsed.success) return { ok: false, kind: "invalid_result", error: "the workflow returned a malformed result" };
  const envelope = parsed.data;
  if (envelope.type === "error") {
    if (envelope.kind === "memory") return { ok: false, kind: "memory", error: limitMessage("memory", limits) };
    return { ok: false, kind: "error", error: cleanUntrusted(envelope.error) || "main failed with an empty error message" };
  }
  const result = envelope.type === "undefined" ? "(main returned nothing)" : envelope.value;
  const bytes = Buffer.byteLength(result);
  if (bytes > limits.maxResultBytes) {
    return {
      ok: false,
      kind: "result_too_large",
      error: `main returned ${bytes} bytes, over the ${limits.maxResultBytes}-byte result limit (limits.maxResultBytes in ~/.config/agentwf/config.json); return a summary (reduceAgent) instead of raw data`,
    };
  }
  return { ok: true, result };
}

/** Runs `main(wf)` from `code`; returns its result as tool-result text, or why it stopped. */
export async function runInIsolate(options: IsolateRunOptions): Promise<IsolateOutcome> {
  const { limits } = options;
  const latch = createStopLatch<WorkflowFailureKind>();
  const stopNow = latch.stop;
  const stopped = latch.stopped;
  let deliverResult: (envelope: string) => void = () => {};
  const delivered = new Promise<string>((resolve) => {
    deliverResult = resolve;
  });

  const logSink = (text: unknown): void => {
    if (typeof text === "string") options.log(text);
  };
  // The isolate has no timers and no I/O: once it waits on no host call and main has not
  // settled, nothing can ever settle what main awaits. Only two things wake it: "start" and the
  // answer to a call ("settle"). Each is a task, and isolated-vm reports a task done only after
  // the isolate has run every microtask it caused, so calls made meanwhile reached this side
  // first (both travel in one first-in, first-out queue). When an answer's task is done and no
  // call is left unanswered, the probe asks the isolate, as a task of its own, whether main is
  // stuck. A workflow awaiting its calls one by one has made its next call by then: no probe,
  // and one message each way per call.
  let control: ivm.Reference<(op: string, id?: number, envelope?: string) => unknown> | undefined;
  let unanswered = 0;
  const answered = (): void => {
    unanswered -= 1;
    if (unanswered === 0) probeIdle();
  };
  const settle = (id: number, envelope: string): void => {
    if (control === undefined || latch.reason() !== undefined) return;
    // Only the answer that may leave no call unanswered needs to hear when its task is done: while
    // another call is unanswered, or another answer's task is still running, a later report comes
    // after this task anyway (one queue), so a flood of answers costs no report each.
    if (unanswered > 1) {
      unanswered -= 1;
      control.applyIgnored(undefined, ["settle", id, envelope], { arguments: { copy: true } });
      return;
    }
    control.apply(undefined, ["settle", id, envelope], { arguments: { copy: true } }).then(answered, answered);
  };
  // Called from the isolate with applyIgnored, so it must never throw (nobody would hear it):
  // a bad call id cannot be answered, so it is dropped; bad request text is answered as an error.
  const agentBridge = (id: unknown, requestJson: unknown): void => {
    if (typeof id !== "number" || !Number.isSafeInteger(id)) return;
    unanswered += 1;
    void askHost(requestJson).then((envelope) => settle(id, envelope));
  };
  const failed = (): string => JSON.stringify({ ok: false, error: "the agent call failed" });
  const askHost = (requestJson: unknown): Promise<string> => {
    if (typeof requestJson !== "string") return Promise.resolve(JSON.stringify({ ok: false, error: "bad request from the workflow runtime" }));
    try {
      return options.callAgent(requestJson).catch(failed);
    } catch {
      return Promise.resolve(failed());
    }
  };
  const probeIdle = (): void => {
    if (control === undefined || latch.reason() !== undefined) return;
    control
      .apply(undefined, ["idle"], { arguments: { copy: true }, result: { copy: true } })
      .then((idle) => {
        if (idle === true) stopNow("deadlock");
      })
      .catch(() => {
        // The isolate is gone or past its limits; that outcome is decided elsewhere.
      });
  };
  const resultSink = (envelope: unknown): void => {
    if (typeof envelope === "string") deliverResult(envelope);
  };
  const phaseSink = (title: unknown): void => {
    if (typeof title === "string") options.onPhase?.(title);
  };
  const dialect = options.dialect ?? "main";

  const isolate = new (isolatedVm().Isolate)({ memoryLimit: limits.memoryMb });
  const timers: NodeJS.Timeout[] = [];
  const cpuLimitNs = BigInt(limits.cpuTimeMs) * 1_000_000n;
  // memoryLimit is a guideline: a single huge string or typed arrays can outgrow it before V8
  // notices (isolated-vm README). The process's own size is the backstop.
  const rssLimit = rss() + limits.memoryMb * 1024 * 1024 * 4 + 64 * 1024 * 1024;
  timers.push(
    setInterval(() => {
      try {
        if (!isolate.isDisposed && isolate.cpuTime > cpuLimitNs) stopNow("cpu_time");
      } catch {
        // cpuTime throws once the isolate is gone; the outcome is decided elsewhere then.
      }
      if (rss() > rssLimit) stopNow("memory");
    }, 25),
  );

  try {
    const context = await isolate.createContext();
    control = (await context.evalClosure(
      RUNTIME_SOURCE,
      [
        new (isolatedVm().Reference)(agentBridge),
        new (isolatedVm().Reference)(logSink),
        options.input === undefined ? undefined : JSON.stringify(options.input),
        JSON.stringify({
          reduceInputChars: limits.reduceInputChars,
          maxLogBytes: limits.maxLogBytes,
          maxPromptChars: MAX_PROMPT_CHARS,
          concurrency: limits.concurrency,
          clockMs: options.determinism?.clockMs,
          seed: options.determinism?.seed,
          dialect,
          maxItemsPerCall: limits.maxItemsPerCall,
          ...(options.budgetTokens !== undefined ? { budgetTokens: options.budgetTokens } : {}),
        }),
        new (isolatedVm().Reference)(resultSink),
        new (isolatedVm().Reference)(phaseSink),
      ],
      { arguments: { copy: true }, result: { reference: true } },
    )) as ivm.Reference<(op: string, id?: number, envelope?: string) => unknown>;
    const handle = control;

    const run = (async (): Promise<string> => {
      const script = await isolate.compileScript(options.code, { filename: "workflow.js" });
      // `timeout` bounds only synchronous code; the CPU watchdog above covers the rest.
      await script.run(context, { timeout: limits.cpuTimeMs });
      const pending = handle.apply(undefined, ["start"], { arguments: { copy: true }, timeout: limits.cpuTimeMs, result: { promise: true, copy: true } });
      // Queued behind main's synchronous part: if main made no call by then, it waits on nothing.
      probeIdle();
      const envelope: unknown = await pending;
      if (typeof envelope !== "string") throw new Error("the workflow runtime returned no result");
      return envelope;
    })();
    run.catch(() => {});

    const first = await Promise.race([
      run.then((envelope) => ({ envelope })),
      delivered.then((envelope) => ({ envelope })),
      stopped.then((kind) => ({ kind })),
    ]);
    if ("kind" in first) return { ok: false, kind: first.kind, error: limitMessage(first.kind, limits) };
    return fromEnvelope(first.envelope, limits);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const kind: WorkflowFailureKind =
      latch.reason() ?? (/memory limit|allocation failed/i.test(message) ? "memory" : /timed out/i.test(message) ? "cpu_time" : "error");
    const text = kind === "error" ? cleanUntrusted(message) || "the workflow failed" : limitMessage(kind, limits);
    return { ok: false, kind, error: text };
  } finally {
    for (const timer of timers) clearTimeout(timer);
    if (!isolate.isDisposed) isolate.dispose();
  }
}
