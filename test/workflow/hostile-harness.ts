// Shared driver for the hostile-workflow corpus (issue 5, items 3–5). It runs untrusted code through
// `runWorkflow` with small limits and a fake `runAgent` that records every request. The fake is
// the only way out of the sandbox, so a test checks three things: the outcome is contained and says
// what happened, the fake saw nothing it should not, and the host is still healthy afterwards.
import { expect } from "vitest";
import type { RunEvent } from "../../src/events.js";
import { DEFAULT_LIMITS } from "../../src/config/limits.js";
import { runWorkflow } from "../../src/workflow/sandbox.js";
import {
  type AgentRequest,
  type SubAgentOutcome,
  type RunAgent,
  type RunAgentContext,
  type WorkflowFailureKind,
  type WorkflowLimits,
  type WorkflowOutcome,
} from "../../src/workflow/types.js";

/** Small limits, so that every hostile case trips its limit quickly even on a loaded machine. */
export const HOSTILE_LIMITS: WorkflowLimits = {
  ...DEFAULT_LIMITS,
  memoryMb: 32,
  cpuTimeMs: 300,
  wallTimeMs: 5_000,
  maxAgents: 20,
  concurrency: 4,
  maxResultBytes: 100_000,
  maxLogBytes: 50_000,
  reduceInputChars: 10_000,
};

/** Generous: a loaded two-core machine may be slow, but a contained case always ends. */
export const CASE_TIMEOUT_MS = 20_000;

/** C0 and C1 control characters other than tab and newline; ESC and CSI included. */
// eslint-disable-next-line no-control-regex
export const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

const usage = { inputTokens: 1, outputTokens: 1 };

export const answer = (value: unknown): SubAgentOutcome => ({ ok: true, value, usage });
export const refuse = (error: string): SubAgentOutcome => ({ ok: false, error, usage });

/** A fake sub-agent that records each request and answers with `respond` (default: an echo). */
export interface FakeAgent {
  readonly runAgent: RunAgent;
  readonly requests: AgentRequest[];
  readonly contexts: RunAgentContext[];
}

export function fakeAgent(
  respond: (request: AgentRequest, context: RunAgentContext) => SubAgentOutcome | Promise<SubAgentOutcome> = (request) =>
    answer(`echo: ${request.prompt.slice(0, 40)}`),
): FakeAgent {
  const requests: AgentRequest[] = [];
  const contexts: RunAgentContext[] = [];
  const runAgent: RunAgent = async (request, context) => {
    requests.push(request);
    contexts.push(context);
    return respond(request, context);
  };
  return { runAgent, requests, contexts };
}

/** A fake sub-agent that answers only when the run cancels it through its signal. */
export function hangingAgent(): FakeAgent {
  return fakeAgent(
    (_request, context) =>
      new Promise<SubAgentOutcome>((resolve) => {
        const cancelled = () => resolve(refuse("cancelled"));
        if (context.signal.aborted) cancelled();
        else context.signal.addEventListener("abort", cancelled, { once: true });
      }),
  );
}

export interface HostileRun {
  readonly outcome: WorkflowOutcome;
  readonly requests: readonly AgentRequest[];
  readonly contexts: readonly RunAgentContext[];
  /** Every wf.log / console line that reached the run log. */
  readonly logs: readonly string[];
}

export interface HostileOptions {
  readonly limits?: Partial<WorkflowLimits>;
  readonly agent?: FakeAgent;
  readonly input?: unknown;
}

/** Runs `code` as a workflow under HOSTILE_LIMITS (plus overrides) and records what came out. */
export async function runHostile(code: string, options: HostileOptions = {}): Promise<HostileRun> {
  const agent = options.agent ?? fakeAgent();
  const events: RunEvent[] = [];
  const outcome = await runWorkflow({
    code,
    workflowId: "w1",
    defaultAgent: "general-purpose",
    runAgent: agent.runAgent,
    limits: { ...HOSTILE_LIMITS, ...options.limits },
    emit: (event) => events.push({ ...event, time: 0 } as RunEvent),
    signal: new AbortController().signal,
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  const logs = events.flatMap((e) => (e.type === "workflow_log" ? [e.message] : []));
  return { outcome, requests: agent.requests, contexts: agent.contexts, logs };
}

const KINDS: readonly WorkflowFailureKind[] = ["error", "memory", "cpu_time", "wall_time", "aborted", "result_too_large", "invalid_result", "deadlock"];

/**
 * Contained: a well-formed outcome, an error text that is non-empty, bounded and free of raw
 * control characters, and log lines free of them too.
 */
export function expectContained(run: HostileRun): void {
  const { outcome } = run;
  expect(Number.isInteger(outcome.agents) && outcome.agents >= 0).toBe(true);
  if (outcome.ok) {
    expect(typeof outcome.result).toBe("string");
  } else {
    expect(KINDS).toContain(outcome.kind);
    expect(outcome.error.trim()).not.toBe("");
    expect(outcome.error).not.toMatch(RAW_CONTROL);
    expect(outcome.error.length).toBeLessThan(5_000);
  }
  for (const line of run.logs) expect(line).not.toMatch(RAW_CONTROL);
}

/** The run failed the way `kind` says, with an error that contains every one of `words`. */
export function expectFailure(run: HostileRun, kind: WorkflowFailureKind, ...words: Array<string | RegExp>): string {
  expectContained(run);
  expect(run.outcome).toMatchObject({ ok: false, kind });
  const error = run.outcome.ok ? "" : run.outcome.error;
  for (const word of words) {
    if (typeof word === "string") expect(error).toContain(word);
    else expect(error).toMatch(word);
  }
  return error;
}

/** The messages that name each limit under HOSTILE_LIMITS (and the overrides a case passes). */
export const LIMIT_WORDS = {
  cpu: /used more than \d+(ms|s) of CPU time/,
  memory: /used more than its \d+ MiB of memory/,
  wall: /wall-clock limit of .* \(--timeout\)/,
  deadlock: "waiting for a promise that nothing can settle",
} as const;

/** The run succeeded and main's result is exactly `result`. */
export function expectResult(run: HostileRun, result: string): void {
  expectContained(run);
  expect(run.outcome).toMatchObject({ ok: true, result });
}

/** The run succeeded with a JSON result equal to `value`. */
export function expectJsonResult(run: HostileRun, value: unknown): void {
  expectContained(run);
  expect(run.outcome.ok).toBe(true);
  if (run.outcome.ok) expect(JSON.parse(run.outcome.result)).toEqual(value);
}

/** The parsed JSON result of a run that succeeded. */
export function jsonResult(run: HostileRun): unknown {
  expectContained(run);
  if (!run.outcome.ok) throw new Error(`expected a result, the run failed: ${run.outcome.kind}: ${run.outcome.error}`);
  return JSON.parse(run.outcome.result);
}

/**
 * The host is healthy after a hostile case: this process still runs workflows end to end, and its
 * resident set has not grown past `maxGrowthBytes` since `baselineRss`.
 */
export async function expectHostHealthy(baselineRss: number, maxGrowthBytes = 1024 ** 3): Promise<void> {
  const canary = await runHostile(`async function main(wf) { return await wf.runAgent("canary"); }`);
  expect(canary.outcome).toMatchObject({ ok: true, result: "echo: canary", agents: 1 });
  expect(process.memoryUsage().rss - baselineRss).toBeLessThan(maxGrowthBytes);
}
