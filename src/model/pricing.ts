// Prices of well-known models, USD per million tokens, so that usage carries a cost when it can.
// A model not listed has no cost (never a guessed one); a router's own `cost` field wins.
import type { Usage } from "../events.js";

interface Price {
  readonly input: number;
  readonly output: number;
  readonly cachedInput?: number;
}

const PRICES: ReadonlyArray<readonly [RegExp, Price]> = [
  [/(^|\/)gpt-4o-mini/, { input: 0.15, output: 0.6, cachedInput: 0.075 }],
  [/(^|\/)gpt-4o/, { input: 2.5, output: 10, cachedInput: 1.25 }],
  [/(^|\/)gpt-4\.1-nano/, { input: 0.1, output: 0.4, cachedInput: 0.025 }],
  [/(^|\/)gpt-4\.1-mini/, { input: 0.4, output: 1.6, cachedInput: 0.1 }],
  [/(^|\/)gpt-4\.1/, { input: 2, output: 8, cachedInput: 0.5 }],
  [/(^|\/)o4-mini/, { input: 1.1, output: 4.4, cachedInput: 0.275 }],
  [/(^|\/)deepseek-chat/, { input: 0.27, output: 1.1, cachedInput: 0.07 }],
  [/(^|\/)claude-sonnet-4/, { input: 3, output: 15, cachedInput: 0.3 }],
  [/(^|\/)claude-3-5-haiku/, { input: 0.8, output: 4, cachedInput: 0.08 }],
  [/(^|\/)gemini-2\.5-flash/, { input: 0.3, output: 2.5, cachedInput: 0.075 }],
  [/(^|\/)gemini-2\.5-pro/, { input: 1.25, output: 10, cachedInput: 0.31 }],
];

/** Adds a cost to usage when the model's price is known and the server gave none. */
export function priceUsage(modelId: string, usage: Usage): Usage {
  if (usage.costUsd !== undefined) return usage;
  const price = PRICES.find(([pattern]) => pattern.test(modelId))?.[1];
  if (price === undefined) return usage;
  const cached = usage.cachedInputTokens ?? 0;
  const fresh = Math.max(0, usage.inputTokens - cached);
  const cost = (fresh * price.input + cached * (price.cachedInput ?? price.input) + usage.outputTokens * price.output) / 1e6;
  return { ...usage, costUsd: cost };
}

/** Whether agentwf knows this model's price (the demo model is free). */
export function hasKnownPrice(modelId: string): boolean {
  return modelId === "demo" || PRICES.some(([pattern]) => pattern.test(modelId));
}

/** USD per million tokens for this model; the demo model is free; undefined when not known. */
export function priceOf(modelId: string): { readonly input: number; readonly output: number } | undefined {
  if (modelId === "demo") return { input: 0, output: 0 };
  const price = PRICES.find(([pattern]) => pattern.test(modelId))?.[1];
  return price === undefined ? undefined : { input: price.input, output: price.output };
}
