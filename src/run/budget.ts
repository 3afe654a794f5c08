// `--budget`: a cap on what a run may spend, in USD or, where prices are unknown, in tokens. Once
// it is spent no new sub-agent starts and the run pauses (run-control.ts): the ones running
// finish, and the person raises it or the run ends as paused, resumable with a higher budget.
import type { Usage } from "../events.js";

export type BudgetLimit = { readonly kind: "usd"; readonly amount: number } | { readonly kind: "tokens"; readonly amount: number };

/** Parses "2.50" or "$2.50" (USD), or "500k tokens", "2M tokens", "300000tok" (tokens). */
export function parseBudget(text: string): BudgetLimit | undefined {
  const t = text.trim().toLowerCase().replace(/\s+/g, "");
  const usd = /^\$?(\d+(?:\.\d+)?)(?:usd)?$/.exec(t);
  if (usd) {
    const amount = Number(usd[1]);
    return amount > 0 ? { kind: "usd", amount } : undefined;
  }
  const tokens = /^(\d+(?:\.\d+)?)([km]?)-?(?:tokens|token|tok)$/.exec(t);
  if (tokens) {
    const scale = tokens[2] === "k" ? 1e3 : tokens[2] === "m" ? 1e6 : 1;
    const amount = Math.round(Number(tokens[1]) * scale);
    return amount > 0 ? { kind: "tokens", amount } : undefined;
  }
  return undefined;
}

export function formatBudget(limit: BudgetLimit): string {
  return limit.kind === "usd" ? `$${limit.amount.toFixed(2)}` : `${limit.amount.toLocaleString("en-US")} tokens`;
}

export interface BudgetTracker {
  record(usage: Usage): void;
  /** Why the budget stops new work ("the run's budget of $1.00 (--budget) is spent ($1.02 used)"), or undefined while some is left. */
  exhausted(): string | undefined;
  /** What the run has spent, in both units. */
  spent(): { readonly usd: number; readonly tokens: number };
  /** The budget now (raised by the person at a pause), or undefined when there is none. */
  limit(): BudgetLimit | undefined;
  /** A new limit, counted from what was already spent. */
  raise(limit: BudgetLimit): void;
}

/** Tracks spending against `initial`; with no budget it only counts. */
export function createBudgetTracker(initial: BudgetLimit | undefined): BudgetTracker {
  let limit = initial;
  let usd = 0;
  let tokens = 0;
  return {
    record(usage) {
      usd += usage.costUsd ?? 0;
      tokens += usage.inputTokens + usage.outputTokens;
    },
    exhausted() {
      if (limit === undefined || (limit.kind === "usd" ? usd : tokens) < limit.amount) return undefined;
      const used = limit.kind === "usd" ? `$${usd.toFixed(2)}` : `${tokens.toLocaleString("en-US")} tokens`;
      return `the run's budget of ${formatBudget(limit)} (--budget) is spent (${used} used)`;
    },
    spent: () => ({ usd, tokens }),
    limit: () => limit,
    raise(next) {
      limit = next;
    },
  };
}
