// Small formatters shared by the renderers. How text is made safe and durations are written lives
// in src/text/; this file holds what only the renderers need.
import type { Usage } from "../events.js";
import { stripForTerminal } from "../text/safe-text.js";

export function formatUsage(usage: Usage): string {
  const tokens = `${(usage.inputTokens + usage.outputTokens).toLocaleString("en-US")} tokens`;
  return usage.costUsd !== undefined && usage.costUsd > 0 ? `${tokens} · $${usage.costUsd.toFixed(4)}` : tokens;
}

/**
 * Makes text from models, files or workflows safe to draw in a pane: terminal control sequences and
 * invisible or bidi characters removed (a model's U+202E would reverse the rest of a pane line),
 * tabs as spaces (a tab's width depends on the column, which breaks line fitting).
 */
export function displayText(text: string): string {
  return stripForTerminal(text.replace(/\t/g, "  "));
}

/** Token counts the way a header has room for: 950, 12.3k, 4.1M. */
export function formatTokens(count: number): string {
  if (count < 1000) return String(count);
  if (count < 1_000_000) return `${(count / 1000).toFixed(count < 10_000 ? 1 : 0)}k`;
  return `${(count / 1_000_000).toFixed(1)}M`;
}

/** Dollars with enough digits to show a cheap run's cost. */
export function formatCost(usd: number): string {
  return usd >= 1 ? `$${usd.toFixed(2)}` : `$${usd.toFixed(4)}`;
}
