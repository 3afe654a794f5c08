// `--confirm-over`: the size past which a workflow asks before it runs. The estimate is compared
// where it is known: the count's maximum when the code fixes it, its minimum otherwise (an
// unknown count is shown as unknown, never treated as a number it might be).
import { CONFIRM_OVER } from "../config/limits.js";
import { formatAgentCount, type CostEstimate } from "./cost-estimate.js";

export interface ConfirmThreshold {
  readonly agents: number;
  readonly usd: number;
}

export const DEFAULT_CONFIRM_THRESHOLD: ConfirmThreshold = { agents: CONFIRM_OVER.agents, usd: CONFIRM_OVER.usd };

/** Parses "40", "$2.50" or "40,$2.50"; a part left out keeps its default. Undefined when malformed. */
export function parseConfirmOver(text: string): ConfirmThreshold | undefined {
  let threshold = DEFAULT_CONFIRM_THRESHOLD;
  const parts = text.split(",").map((part) => part.trim().toLowerCase());
  if (parts.length > 2 || parts.some((p) => p === "")) return undefined;
  for (const part of parts) {
    const usd = /^\$(\d+(?:\.\d+)?)$|^(\d+(?:\.\d+)?)usd$/.exec(part);
    if (usd) {
      threshold = { ...threshold, usd: Number(usd[1] ?? usd[2]) };
      continue;
    }
    if (!/^\d+$/.test(part)) return undefined;
    threshold = { ...threshold, agents: Number(part) };
  }
  return threshold;
}

/** Why `estimate` is past the threshold, in words, or undefined when it is not. */
export function overThreshold(estimate: CostEstimate, threshold: ConfirmThreshold): string | undefined {
  const known = estimate.agents.max !== null;
  const agents = estimate.agents.max ?? estimate.agents.min;
  const usd = estimate.usd === null ? undefined : known ? estimate.usd.max : estimate.usd.min;
  const flag = `${CONFIRM_OVER.flag} ${threshold.agents},$${threshold.usd}`;
  if (agents > threshold.agents) return `it may start ${formatAgentCount(estimate)}, over ${threshold.agents} (${flag})`;
  if (usd !== undefined && usd > threshold.usd) return `it may cost up to $${usd.toFixed(2)}, over $${threshold.usd} (${flag})`;
  return undefined;
}
