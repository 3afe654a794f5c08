// Runs one workflow: a sandbox child process holds the isolate (isolate-runner.ts), and this side
// holds everything with authority — the scheduler, the sub-agents, the wall clock, cancellation.
// The child can only ask, over IPC, for a sub-agent; what it asks is checked here, field by field.
// workflow_start and workflow_end are written here and only here, so each start has its end.
import { setMaxListeners } from "node:events";
import { z } from "zod";
import type { Emit } from "../events.js";
import { MAX_PROMPT_CHARS } from "./isolate-runner.js";
import { limitMessage } from "./limit-messages.js";
import { createStopLatch } from "./stop-latch.js";
import { ChildMessageSchema } from "./sandbox-protocol.js";
import { createScheduler } from "./scheduler.js";
import { takeSandbox } from "./sandbox-process.js";
import type { AgentRequest, ApplyPatches, Determinism, RunAgent, WorkflowFailureKind, WorkflowLimits, WorkflowOutcome } from "./types.js";
import { CLAUDE_FORMAT_MAX_AGENTS } from "../config/limits.js";
import type { Dialect } from "./dialect.js";
import { isolateScript } from "./isolate-script.js";
import { cleanUntrusted } from "../text/safe-text.js";
import { formatZodIssues } from "../text/zod-issues.js";

export interface RunWorkflowOptions {
  readonly code: string;
  readonly workflowId: string;
  /** Shown with the workflow's progress (the parent's label, or the file `exec` runs); default: the id. */
  readonly name?: string;
  readonly input?: unknown;
  /** Agent type used when the code names none. */
  readonly defaultAgent: string;
  readonly runAgent: RunAgent;
  /** `wf.applyPatches`, injected like runAgent; unset, the call fails with a message. */
  readonly applyPatches?: ApplyPatches;
  readonly limits: WorkflowLimits;
  readonly emit: Emit;
  readonly signal: AbortSignal;
  /** Asked before each sub-agent starts; a reason refuses it (a spent budget). */
  readonly canStart?: () => string | undefined;
  readonly now?: () => number;
  /** The run's fixed clock and random seed for the workflow's Date and Math.random. */
  readonly determinism?: Determinism;
  /** Which dialect the code is written in (validation says); default "main". */
  readonly dialect?: Dialect;
  /** The run's budget in tokens, shown to a Claude-format script as `budget.total`. */
  readonly budgetTokens?: number;
}

// Agent-type names as agent files may spell them; model names as printable text.
const AGENT_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/i;
const MODEL_NAME = /^[\x21-\x7e]{1,200}$/;

// What the in-isolate runtime sends for one sub-agent: untrusted, so checked field by field.
const AgentRequestSchema = z.object({
  prompt: z.string().max(MAX_PROMPT_CHARS),
  agent: z.string().regex(AGENT_NAME, "agent must be an agent type name (letters, digits, - and _)").optional(),
  description: z.string().optional(),
  model: z.string().regex(MODEL_NAME, "model must be provider/model in printable characters").optional(),
  schema: z.record(z.string(), z.unknown()).optional(),
  isolation: z.enum(["worktree"]).optional(),
  phase: z.string().max(200).optional(),
});

// `wf.applyPatches` crosses the same bridge as a sub-agent, marked by `op`.
const ApplyPatchesSchema = z.object({
  op: z.literal("apply_patches"),
  ids: z.array(z.string().regex(/^[A-Za-z0-9._-]{1,80}$/, "a patch id names an isolated agent (w1.3)")).max(10_000),
});

/** Why the child died without reporting, from how it ended. */
function diagnoseExit(signal: string | undefined, exitCode: number | undefined, stderr: string): { kind: WorkflowFailureKind; detail: string } {
  // V8's fatal out-of-memory path aborts the process ("CALL_AND_RETRY_LAST", "heap out of memory").
  if (/out of memory|CALL_AND_RETRY_LAST|Allocation failed|OOM/i.test(stderr) || signal === "SIGABRT" || signal === "SIGTRAP") {
    return { kind: "memory", detail: "" };
  }
  const last = stderr.trim().split("\n").at(-1) ?? "";
  const how = signal !== undefined ? `signal ${signal}` : `exit code ${exitCode ?? "?"}`;
  return { kind: "error", detail: `the sandbox process ended unexpectedly (${how})${last ? `: ${cleanUntrusted(last, 300)}` : ""}` };
}

/** Runs `main(wf)` from `code` and returns its result as tool-result text, or why it stopped. */
export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowOutcome> {
  const { emit, workflowId } = options;
  const now = options.now ?? Date.now;
  const started = now();
  emit({ type: "workflow_start", workflowId, name: options.name ?? workflowId });
  let outcome: WorkflowOutcome | undefined;
  try {
    outcome = await runInSandbox(options, now);
    return outcome;
  } finally {
    // Sub-agents still running were cancelled (and ended) before this, so the workflow ends last.
    emit({
      type: "workflow_end",
      workflowId,
      ok: outcome?.ok === true,
      error: outcome === undefined ? "the workflow runner failed" : outcome.ok ? undefined : outcome.error,
      durationMs: Math.max(0, now() - started),
    });
  }
}

async function runInSandbox(options: RunWorkflowOptions, now: () => number): Promise<WorkflowOutcome> {
  const { limits, emit, workflowId } = options;
  // Sub-agents still running when main returns are cancelled with the sandbox.
  const work = new AbortController();
  // Every running sub-agent listens on this one signal (its model call, its tools, its retry
  // waits); Node's default of 10 listeners would print a leak warning at -c 11.
  setMaxListeners(0, work.signal);
  const scheduler = createScheduler({
    runAgent: options.runAgent,
    workflowId,
    canStart: options.canStart,
    emit,
    now,
    concurrency: limits.concurrency,
    maxAgents: options.dialect === "claude" ? Math.min(limits.maxAgents, CLAUDE_FORMAT_MAX_AGENTS) : limits.maxAgents,
    signal: work.signal,
  });
  const counts = () => ({ agents: scheduler.stats().started, failedAgents: scheduler.stats().failed });

  // The runtime cuts the log at maxLogBytes characters; this backstop in bytes allows for
  // multi-byte text and the runtime's own notice, and holds even if the runtime were subverted.
  const logBackstop = limits.maxLogBytes * 4 + 1024;
  let logBytes = 0;
  let logCut = false;
  const log = (text: string): void => {
    if (logCut) return;
    logBytes += Buffer.byteLength(text);
    if (logBytes > logBackstop) {
      logCut = true;
      emit({ type: "workflow_log", workflowId, message: `[agentwf] log limit of ${limits.maxLogBytes} bytes reached (limits.maxLogBytes); further wf.log output is dropped` });
      return;
    }
    emit({ type: "workflow_log", workflowId, message: cleanUntrusted(text, 10_000) });
  };

  // Never throws: every failure becomes an envelope the workflow sees as a rejected promise.
  const handleApplyPatches = async (ids: readonly string[]): Promise<string> => {
    if (options.applyPatches === undefined) return JSON.stringify({ ok: false, error: "wf.applyPatches is not available in this run" });
    const report = await options.applyPatches(ids);
    return JSON.stringify({ ok: true, value: report });
  };

  const handleAgentCall = async (requestJson: string): Promise<string> => {
    try {
      const json: unknown = JSON.parse(requestJson);
      if (typeof json === "object" && json !== null && "op" in json) {
        const patches = ApplyPatchesSchema.safeParse(json);
        if (!patches.success) throw new Error(`wf.applyPatches: ${formatZodIssues(patches.error, { whole: "argument" })}`);
        return await handleApplyPatches(patches.data.ids);
      }
      const parsed = AgentRequestSchema.safeParse(json);
      if (!parsed.success) throw new Error(`invalid agent options: ${formatZodIssues(parsed.error, { whole: "options" })}`);
      const { prompt, agent, description, model, schema, isolation, phase } = parsed.data;
      const request: AgentRequest = {
        prompt,
        agent: agent ?? options.defaultAgent,
        description: cleanUntrusted(description ?? prompt, 80).replace(/\s+/g, " "),
        model,
        schema,
        ...(isolation === undefined ? {} : { isolation }),
        ...(phase !== undefined ? { phase: cleanUntrusted(phase, 80).replace(/\s+/g, " ") } : {}),
      };
      const result = await scheduler.dispatch(request);
      const outputTokens = result.usage.outputTokens;
      if (!result.ok) return JSON.stringify({ ok: false, error: result.error, halt: result.halt, outputTokens });
      const envelope = JSON.stringify({ ok: true, value: result.value ?? null, outputTokens });
      if (envelope.length > limits.maxResultBytes) {
        return JSON.stringify({ ok: false, error: `the sub-agent's result is ${envelope.length} bytes, over the ${limits.maxResultBytes}-byte limit (limits.maxResultBytes); ask it for a shorter answer` });
      }
      return envelope;
    } catch (error) {
      return JSON.stringify({ ok: false, error: error instanceof Error ? error.message : "agent call failed" });
    }
  };

  const latch = createStopLatch<WorkflowFailureKind>();
  const stopNow = latch.stop;
  const stopped = latch.stopped;
  const onAbort = () => stopNow("aborted");
  options.signal.addEventListener("abort", onAbort, { once: true });
  const wallClock = setTimeout(() => stopNow("wall_time"), limits.wallTimeMs);
  if (options.signal.aborted) stopNow("aborted");

  // Started at launch (prepareSandbox) when the command runs workflows; else started now.
  const { child, messages, send, ended: childEnded } = takeSandbox();
  let reported: WorkflowOutcome | undefined;
  const conversation = (async () => {
    for await (const raw of messages) {
      const parsed = ChildMessageSchema.safeParse(raw);
      if (!parsed.success) continue;
      const message = parsed.data;
      switch (message.type) {
        case "ready":
          send({
            type: "start",
            // Prepared here, so the child starts without a parser: its start-up counts against --timeout.
            code: isolateScript(options.code, options.dialect ?? "main"),
            input: options.input,
            limits,
            dialect: options.dialect ?? "main",
            ...(options.budgetTokens !== undefined ? { budgetTokens: options.budgetTokens } : {}),
            determinism: options.determinism,
          });
          break;
        case "agent":
          void handleAgentCall(message.request).then((envelope) => send({ type: "agent_result", id: message.id, envelope }));
          break;
        case "log":
          log(message.text);
          break;
        case "phase":
          emit({ type: "workflow_phase", workflowId, title: cleanUntrusted(message.title, 80).replace(/\s+/g, " ") });
          break;
        case "done":
          reported = message.outcome.ok
            ? { ok: true, result: message.outcome.result, ...counts() }
            : { ok: false, kind: message.outcome.kind, error: message.outcome.error, ...counts() };
          return;
        default: {
          const unreachable: never = message;
          return unreachable;
        }
      }
    }
  })().catch(() => undefined);

  try {
    const first = await Promise.race([conversation.then(() => "ended" as const), stopped]);
    if (first !== "ended") {
      child.kill("SIGKILL");
      return { ok: false, kind: first, error: limitMessage(first, limits), ...counts() };
    }
    if (reported !== undefined) return reported;
    const ended = await childEnded;
    const diagnosis = diagnoseExit(ended.signal, ended.exitCode, ended.stderr);
    return {
      ok: false,
      kind: diagnosis.kind,
      error: diagnosis.kind === "error" ? diagnosis.detail : limitMessage(diagnosis.kind, limits),
      ...counts(),
    };
  } finally {
    clearTimeout(wallClock);
    options.signal.removeEventListener("abort", onAbort);
    work.abort();
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
}
