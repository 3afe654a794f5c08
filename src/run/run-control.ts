// What a person (or a limit) can do to a running run without losing work (issue 11): pause it so
// that no new sub-agent starts while the running ones finish, stop or restart one sub-agent, and
// pause on a spent --budget or a server's usage limit instead of failing. Every sub-agent passes
// through `wrap`, which is the gate: the workflow's scheduler and its sandbox stay unchanged, and
// the request and result stay plain data.
import { emptyUsage, type Emit, type PauseCause, type Usage } from "../events.js";
import type { RunAgent, SubAgentOutcome } from "../workflow/types.js";
import { createBudgetTracker, formatBudget, type BudgetLimit } from "./budget.js";

/** What the person chose at a budget or usage-limit pause. */
export type PauseDecision = { readonly type: "continue"; readonly budget?: BudgetLimit } | { readonly type: "stop" };

export interface PauseInfo {
  readonly cause: Exclude<PauseCause, "person">;
  readonly reason: string;
  readonly budget: BudgetLimit | undefined;
  readonly spentUsd: number;
  readonly spentTokens: number;
}

/** Asks the person how to go on; absent without a terminal (the run then ends as paused). */
export type PausePrompt = (pause: PauseInfo, signal: AbortSignal) => Promise<PauseDecision>;

/** What the live view's keys reach (`p`, `x`, `r`); the UI sees only this interface. */
export interface RunControls {
  /** Pauses the run (no new sub-agents) or lifts the person's pause; returns whether it is paused now. */
  togglePause(): boolean;
  /** Stops one running sub-agent; its result becomes an error the workflow sees. False if it is not running. */
  stopAgent(agentId: string): boolean;
  /** Starts a sub-agent's request again from the beginning: a running one, or one whose failure waits while the run is paused. */
  restartAgent(agentId: string): boolean;
  /** Answers a budget or usage-limit pause. */
  decide(decision: PauseDecision): void;
  /** Stops the whole run as paused: resumable, nothing finished is lost. */
  stopRun(): void;
}

export interface RunControl extends RunControls {
  /** The gate every sub-agent passes: waits while paused, counts the running ones, stops one on request. */
  wrap(runAgent: RunAgent): RunAgent;
  /** Records spending; pass every usage event's usage. */
  record(usage: Usage): void;
  /** What the run spent so far, for the store (a paused run resumes from it). */
  readonly spent: () => { readonly usd: number; readonly tokens: number };
}

export interface RunControlOptions {
  readonly emit: Emit;
  readonly budget: BudgetLimit | undefined;
  /** What a resumed run's earlier attempts spent: the budget is for the whole run. */
  readonly spentBefore?: Usage;
  /** Interactive runs ask here; without it a limit's pause ends the run once running agents finish. */
  readonly prompt?: PausePrompt;
  /** Ends the run as paused (status paused, exit 4); called once the running sub-agents finished. */
  readonly endPaused: (reason: string) => void;
  readonly signal: AbortSignal;
}

export const STOPPED_BY_PERSON = "stopped by the person (x in the live view)";

export function createRunControl(options: RunControlOptions): RunControl {
  const budget = createBudgetTracker(options.budget);
  if (options.spentBefore !== undefined) budget.record(options.spentBefore);
  let running = 0;
  let paused: { cause: PauseCause; reason: string } | undefined;
  let ending: string | undefined;
  let closing: string | undefined;
  let waiters: Array<() => void> = [];
  const agents = new Map<string, { controller: AbortController; stopped: boolean; restart: boolean }>();
  // Failures that arrive while the person has paused the run wait for their say: `r` runs the
  // request again, lifting the pause delivers them to the workflow as they are.
  const held = new Map<string, (choice: "restart" | "deliver") => void>();
  const deliverHeld = () => {
    for (const release of [...held.values()]) release("deliver");
    held.clear();
  };
  const hold = (agentId: string, signal: AbortSignal) =>
    new Promise<"restart" | "deliver">((resolve) => {
      const release = (choice: "restart" | "deliver") => {
        held.delete(agentId);
        resolve(choice);
      };
      held.set(agentId, release);
      signal.addEventListener("abort", () => release("deliver"), { once: true });
    });

  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  options.signal.addEventListener("abort", wake, { once: true });


  // The sub-agents waiting at the gate are told why first, so each ends with the reason rather than
  // as "cancelled"; the run ends once their refusals have settled (the next turn of the event loop).
  const maybeEnd = () => {
    if (ending !== undefined && running === 0) {
      const reason = ending;
      ending = undefined;
      closing = reason;
      wake();
      setImmediate(() => options.endPaused(reason));
    }
  };

  const resume = (reason: string) => {
    const was = paused;
    if (was === undefined) return;
    paused = undefined;
    options.emit({ type: "run_resumed", cause: was.cause, reason });
    deliverHeld();
    wake();
  };

  const pauseFor = (cause: PauseCause, reason: string) => {
    if (paused !== undefined) return;
    paused = { cause, reason };
    const { usd, tokens } = budget.spent();
    options.emit({ type: "run_paused", cause, reason, ...(budget.limit()?.kind === "usd" || usd > 0 ? { spentUsd: usd } : {}), spentTokens: tokens });
    if (cause === "person") return;
    const info: PauseInfo = { cause, reason, budget: budget.limit(), spentUsd: usd, spentTokens: tokens };
    if (options.prompt === undefined) {
      ending = reason;
      maybeEnd();
      return;
    }
    void options.prompt(info, options.signal).then(decide, () => decide({ type: "stop" }));
  };

  function decide(decision: PauseDecision): void {
    if (paused === undefined || paused.cause === "person") return;
    if (decision.type === "stop") {
      ending = paused.reason;
      maybeEnd();
      return;
    }
    if (decision.budget !== undefined) budget.raise(decision.budget);
    // A raise that is still spent keeps the run paused; the person is asked again at the next start.
    if (budget.exhausted() !== undefined) {
      paused = undefined;
      wake();
      return;
    }
    resume(decision.budget !== undefined ? `the budget is now ${formatBudget(decision.budget)}` : "continued by the person");
  }

  /** Resolves with a refusal once the run is stopping, or undefined when a sub-agent may start. */
  const gate = async (signal: AbortSignal): Promise<string | undefined> => {
    for (;;) {
      if (closing !== undefined) return `not started: the run paused: ${closing}`;
      if (signal.aborted || options.signal.aborted) return "cancelled";
      const refusal = budget.exhausted();
      if (refusal !== undefined && paused === undefined) pauseFor("budget", refusal);
      if (closing !== undefined) return `not started: the run paused: ${closing}`;
      if (paused === undefined) return undefined;
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        signal.addEventListener("abort", () => resolve(), { once: true });
      });
    }
  };

  const wrap =
    (runAgent: RunAgent): RunAgent =>
    async (request, context) => {
      const refusal = await gate(context.signal);
      if (refusal !== undefined) return { ok: false, error: refusal, usage: emptyUsage(), halt: true };
      running += 1;
      let usage = emptyUsage();
      try {
        for (;;) {
          const controller = new AbortController();
          const onOuter = () => controller.abort();
          context.signal.addEventListener("abort", onOuter, { once: true });
          const entry = { controller, stopped: false, restart: false };
          agents.set(context.agentId, entry);
          let result: SubAgentOutcome;
          try {
            result = await runAgent(request, { ...context, signal: controller.signal });
          } finally {
            context.signal.removeEventListener("abort", onOuter);
            agents.delete(context.agentId);
          }
          usage = addPlain(usage, result.usage);
          if (entry.restart && !context.signal.aborted) continue;
          if (entry.stopped) return { ok: false, error: STOPPED_BY_PERSON, usage, turns: result.turns };
          if (!result.ok && result.usageLimit !== true && paused?.cause === "person" && !context.signal.aborted) {
            options.emit({ type: "warning", message: `${context.agentId} failed while the run is paused and waits: r runs it again, p passes the failure on (${result.error})` });
            if ((await hold(context.agentId, context.signal)) === "restart") continue;
          }
          // A server's usage limit outlasted the retries: pause rather than fail, then run it again.
          if (!result.ok && result.usageLimit === true && !context.signal.aborted) {
            pauseFor("usage_limit", `the model server's usage limit was reached: ${result.error}`);
            running -= 1;
            maybeEnd();
            const again = await gate(context.signal);
            running += 1;
            if (again !== undefined) return { ...result, usage };
            continue;
          }
          return { ...result, usage };
        }
      } finally {
        running -= 1;
        maybeEnd();
      }
    };

  return {
    wrap,
    record: (usage) => budget.record(usage),
    spent: () => budget.spent(),
    togglePause() {
      if (paused === undefined) {
        pauseFor("person", "paused by the person (p); running sub-agents finish, no new one starts");
        return true;
      }
      if (paused.cause === "person") resume("continued by the person (p)");
      return paused !== undefined;
    },
    stopAgent(agentId) {
      // A failure waiting out the person's pause: x passes it on now.
      const waiting = held.get(agentId);
      if (waiting !== undefined) {
        waiting("deliver");
        return true;
      }
      const entry = agents.get(agentId);
      if (entry === undefined) return false;
      entry.stopped = true;
      entry.controller.abort();
      return true;
    },
    restartAgent(agentId) {
      const waiting = held.get(agentId);
      if (waiting !== undefined) {
        waiting("restart");
        return true;
      }
      const entry = agents.get(agentId);
      if (entry === undefined) return false;
      entry.restart = true;
      entry.controller.abort();
      return true;
    },
    decide,
    stopRun() {
      ending = paused?.reason ?? "stopped by the person; finished sub-agents are kept";
      if (paused === undefined) pauseFor("person", ending);
      deliverHeld();
      maybeEnd();
    },
  };
}

/** Adds usages without the cost rule of events.addUsage: a retried agent's attempts all cost. */
function addPlain(a: Usage, b: Usage): Usage {
  const sum: Usage = { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens };
  if (a.costUsd !== undefined || b.costUsd !== undefined) sum.costUsd = (a.costUsd ?? 0) + (b.costUsd ?? 0);
  return sum;
}
