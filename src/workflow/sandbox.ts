// Runs one workflow in a fresh isolated-vm isolate. Only JSON text crosses the boundary, always by
// copy; the host functions the isolate may call are wrapped so that nothing the code does can
// throw into, block, or crash the host. Each limit is a racing promise and the first to fire is
// the reason the workflow stopped (execa's terminate/ habit).
import { setMaxListeners } from "node:events";
import ivm from "isolated-vm";
import { z } from "zod";
import type { Emit } from "../events.js";
import { RUNTIME_SOURCE } from "./runtime-source.js";
import { createScheduler } from "./scheduler.js";
import type { AgentRequest, RunAgent, WorkflowFailureKind, WorkflowLimits, WorkflowOutcome } from "./types.js";

export interface RunWorkflowOptions {
  readonly code: string;
  readonly workflowId: string;
  readonly input?: unknown;
  /** Agent type used when the code names none. */
  readonly defaultAgent: string;
  readonly runAgent: RunAgent;
  readonly limits: WorkflowLimits;
  readonly emit: Emit;
  readonly signal: AbortSignal;
  /** Asked before each sub-agent starts; a reason refuses it (a spent budget). */
  readonly canStart?: () => string | undefined;
}

// What the in-isolate runtime sends for one sub-agent: untrusted, so checked field by field.
const AgentRequestSchema = z.object({
  prompt: z.string(),
  agent: z.string().max(100).optional(),
  description: z.string().optional(),
  model: z.string().max(200).optional(),
  schema: z.record(z.string(), z.unknown()).optional(),
});

const EnvelopeSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("string"), value: z.string() }),
  z.object({ type: z.literal("json"), value: z.string() }),
  z.object({ type: z.literal("undefined") }),
  z.object({ type: z.literal("error"), error: z.string() }),
]);

/** Text that came out of the isolate is untrusted: no control sequences, bounded length. */
export function cleanUntrusted(text: string, max = 2000): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[\]PX^_][\s\S]*?(\x07|\x1b\\)|[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, "");
  return clean.length > max ? `${clean.slice(0, max)}… (${clean.length - max} more characters)` : clean;
}

const formatMs = (ms: number): string =>
  ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : ms % 60_000 === 0 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;

function limitMessage(kind: WorkflowFailureKind, limits: WorkflowLimits): string {
  switch (kind) {
    case "memory":
      return `the workflow used more than its ${limits.memoryMb} MiB of memory and was stopped; keep less data in the workflow (let sub-agents hold the detail), or raise limits.memoryMb in .agentwf/config.json`;
    case "cpu_time":
      return `the workflow's own code used more than ${formatMs(limits.cpuTimeMs)} of CPU time and was stopped; remove busy loops (waiting on sub-agents is not counted), or raise limits.cpuTimeMs in .agentwf/config.json`;
    case "wall_time":
      return `the workflow ran longer than its wall-clock limit of ${formatMs(limits.wallTimeMs)} and was stopped (--timeout); raise --timeout or give it less to do`;
    case "aborted":
      return "the workflow was cancelled";
    case "deadlock":
      return "main is waiting for a promise that nothing can settle (no sub-agent is running and the workflow has no timers); await only wf calls and promises built from them";
    case "error":
    case "result_too_large":
    case "invalid_result":
      return "";
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

/** Runs `main(wf)` from `code` and returns its result as tool-result text, or why it stopped. */
export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowOutcome> {
  const { limits, emit, workflowId } = options;
  // Sub-agents still running when main returns are cancelled with the isolate.
  const work = new AbortController();
  // Every running sub-agent listens on this one signal (its model call, its tools, its retry
  // waits); Node's default of 10 listeners would print a leak warning at -c 11.
  setMaxListeners(0, work.signal);
  const onOuterAbort = () => work.abort();
  options.signal.addEventListener("abort", onOuterAbort, { once: true });
  const scheduler = createScheduler({
    runAgent: options.runAgent,
    workflowId,
    ...(options.canStart ? { canStart: options.canStart } : {}),
    concurrency: limits.concurrency,
    maxAgents: limits.maxAgents,
    signal: work.signal,
  });
  const counts = () => ({ agents: scheduler.stats().started, failedAgents: scheduler.stats().failed });

  let logBytes = 0;
  let logCut = false;
  const logSink = (text: unknown): void => {
    if (typeof text !== "string" || logCut) return;
    logBytes += Buffer.byteLength(text);
    if (logBytes > limits.maxLogBytes) {
      logCut = true;
      emit({ type: "workflow_log", workflowId, message: `[agentwf] log limit of ${limits.maxLogBytes} bytes reached (limits.maxLogBytes); further wf.log output is dropped` });
      return;
    }
    emit({ type: "workflow_log", workflowId, message: cleanUntrusted(text, 10_000) });
  };

  // Never throws and never rejects: a rejection before the first await, or any exception, would
  // otherwise surface in the host as an unhandled rejection.
  const handleAgentCall = (requestJson: unknown): Promise<string> =>
    (async () => {
      try {
        if (typeof requestJson !== "string") throw new Error("bad request from the workflow runtime");
        const parsed = AgentRequestSchema.safeParse(JSON.parse(requestJson));
        if (!parsed.success) throw new Error(`invalid agent options: ${parsed.error.issues.map((i) => `${i.path.join(".") || "options"}: ${i.message}`).join("; ")}`);
        const { prompt, agent, description, model, schema } = parsed.data;
        const request: AgentRequest = {
          prompt,
          agent: agent ?? options.defaultAgent,
          description: cleanUntrusted(description ?? prompt, 80).replace(/\s+/g, " "),
          ...(model !== undefined ? { model } : {}),
          ...(schema !== undefined ? { schema } : {}),
        };
        const result = await scheduler.dispatch(request);
        if (!result.ok) return JSON.stringify({ ok: false, error: result.error });
        const envelope = JSON.stringify({ ok: true, value: result.value ?? null });
        if (envelope.length > limits.maxResultBytes) {
          return JSON.stringify({ ok: false, error: `the sub-agent's result is ${envelope.length} bytes, over the ${limits.maxResultBytes}-byte limit (limits.maxResultBytes); ask it for a shorter answer` });
        }
        return envelope;
      } catch (error) {
        return JSON.stringify({ ok: false, error: error instanceof Error ? error.message : "agent call failed" });
      }
    })();

  // The isolate has no timers and no I/O: once it waits on no host call and main has not
  // settled, nothing can ever settle what main awaits. The runtime says when its last call
  // settles; the probe then asks it, as a task of its own, whether main is stuck.
  let control: ivm.Reference<(op: string) => unknown> | undefined;
  const probeIdle = (): void => {
    if (control === undefined || stopReason !== undefined) return;
    control
      .apply(undefined, ["idle"], { arguments: { copy: true }, result: { copy: true } })
      .then((idle) => {
        if (idle === true) stopNow("deadlock");
      })
      .catch(() => {
        // The isolate is gone or past its limits; that outcome is decided elsewhere.
      });
  };
  const agentBridge = handleAgentCall;

  const isolate = new ivm.Isolate({ memoryLimit: limits.memoryMb });
  let stopReason: WorkflowFailureKind | undefined;
  const timers: NodeJS.Timeout[] = [];
  let stopNow: (kind: WorkflowFailureKind) => void = () => {};
  const stopped = new Promise<WorkflowFailureKind>((resolve) => {
    stopNow = (kind) => {
      if (stopReason !== undefined) return;
      stopReason = kind;
      resolve(kind);
    };
  });

  const onAbort = () => stopNow("aborted");
  options.signal.addEventListener("abort", onAbort, { once: true });
  timers.push(setTimeout(() => stopNow("wall_time"), limits.wallTimeMs));
  const cpuLimitNs = BigInt(limits.cpuTimeMs) * 1_000_000n;
  timers.push(
    setInterval(() => {
      try {
        if (!isolate.isDisposed && isolate.cpuTime > cpuLimitNs) stopNow("cpu_time");
      } catch {
        // cpuTime throws once the isolate is gone; the outcome is decided elsewhere then.
      }
    }, 50),
  );

  try {
    if (options.signal.aborted) stopNow("aborted");
    const context = await isolate.createContext();
    control = (await context.evalClosure(
      RUNTIME_SOURCE,
      [
        new ivm.Reference(agentBridge),
        new ivm.Reference(logSink),
        options.input === undefined ? undefined : JSON.stringify(options.input),
        JSON.stringify({ reduceInputChars: limits.reduceInputChars }),
        new ivm.Reference(probeIdle),
      ],
      { arguments: { copy: true }, result: { reference: true } },
    )) as ivm.Reference<(op: string) => unknown>;
    const started = control;

    const run = (async (): Promise<string> => {
      const script = await isolate.compileScript(options.code, { filename: "workflow.js" });
      // `timeout` bounds only synchronous code; the CPU watchdog above covers the rest.
      await script.run(context, { timeout: limits.cpuTimeMs });
      const pending = started.apply(undefined, ["start"], { arguments: { copy: true }, timeout: limits.cpuTimeMs, result: { promise: true, copy: true } });
      // Queued behind main's synchronous part: if main made no call by then, it waits on nothing.
      probeIdle();
      const envelope: unknown = await pending;
      if (typeof envelope !== "string") throw new Error("the workflow runtime returned no result");
      return envelope;
    })();
    run.catch(() => {});

    const first = await Promise.race([run.then((envelope) => ({ envelope })), stopped.then((kind) => ({ kind }))]);
    if ("kind" in first) return { ok: false, kind: first.kind, error: limitMessage(first.kind, limits), ...counts() };

    const parsed = EnvelopeSchema.safeParse(JSON.parse(first.envelope));
    if (!parsed.success) return { ok: false, kind: "invalid_result", error: "the workflow returned a malformed result", ...counts() };
    const envelope = parsed.data;
    if (envelope.type === "error") return { ok: false, kind: "error", error: cleanUntrusted(envelope.error), ...counts() };
    const result = envelope.type === "undefined" ? "(main returned nothing)" : envelope.value;
    if (Buffer.byteLength(result) > limits.maxResultBytes) {
      return {
        ok: false,
        kind: "result_too_large",
        error: `main returned ${Buffer.byteLength(result)} bytes, over the ${limits.maxResultBytes}-byte result limit (limits.maxResultBytes in .agentwf/config.json); return a summary (reduceAgent) instead of raw data`,
        ...counts(),
      };
    }
    return { ok: true, result, ...counts() };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const kind: WorkflowFailureKind =
      stopReason ?? (/memory limit/i.test(message) ? "memory" : /timed out/i.test(message) ? "cpu_time" : "error");
    const text = kind === "error" ? cleanUntrusted(message) : limitMessage(kind, limits);
    return { ok: false, kind, error: text, ...counts() };
  } finally {
    for (const timer of timers) clearTimeout(timer);
    options.signal.removeEventListener("abort", onAbort);
    options.signal.removeEventListener("abort", onOuterAbort);
    work.abort();
    if (!isolate.isDisposed) isolate.dispose();
  }
}
