// What a workflow will cost, projected before it runs (issue 11): the sub-agent count from the
// code (workflow/agent-count.ts), and a token and dollar range from the prompt sizes and the
// model's price table. The range is honest about what it does not know: an unknown count is
// shown as unknown, and its dollar ceiling is the one --max-agents enforces.
import { CostEstimateSchema, type CostEstimate } from "../events.js";
import { priceOf } from "../model/pricing.js";
import { countAgents, type AgentCount } from "../workflow/agent-count.js";

export { CostEstimateSchema, type CostEstimate };


// What one sub-agent reads and writes, in characters and turns. An agent starts with its system
// prompt, the tool definitions and AGENTS.md (about 6,000 characters for the built-in types) plus
// its prompt; the cheapest answers at once, a thorough one takes several turns, each re-sending
// the conversation with the files it read. Four characters make about one token.
const BASE_CHARS = 6000;
const CHARS_PER_TOKEN = 4;
const LOW = { turns: 1, toolTokensPerTurn: 0, outputTokens: 200 };
const HIGH = { turns: 8, toolTokensPerTurn: 1500, outputTokens: 400 };

interface AgentTokens {
  readonly input: number;
  readonly output: number;
}

function perAgent(promptChars: number, shape: typeof LOW): AgentTokens {
  const start = Math.ceil((BASE_CHARS + promptChars) / CHARS_PER_TOKEN);
  let input = 0;
  for (let turn = 0; turn < shape.turns; turn += 1) input += start + turn * shape.toolTokensPerTurn;
  return { input, output: shape.turns * shape.outputTokens };
}

export interface EstimateOptions {
  /** The sub-agents' model (--agent-model, else --model). */
  readonly model: string;
  /** --max-agents: the ceiling when the code leaves the count open. */
  readonly maxAgents: number;
  /** reduceAgent's input is cut at this many characters. */
  readonly reduceInputChars: number;
  /** `wf.input`, when known (`exec --input`). */
  readonly input?: unknown;
}

/** Projects what running `code` costs. */
export function estimateCost(code: string, options: EstimateOptions): CostEstimate {
  return projectCost(countAgents(code, options.input === undefined ? {} : { input: options.input }), options);
}

export function projectCost(count: AgentCount, options: EstimateOptions): CostEstimate {
  const price = priceOf(options.model);
  let low = { input: 0, output: 0 };
  let high = { input: 0, output: 0 };
  let counted = 0;
  for (const site of count.sites) {
    const lowEach = perAgent(site.promptChars, LOW);
    // A reducer reads what the others wrote, up to its input limit.
    const highEach = perAgent(site.promptChars + (site.kind === "reduceAgent" ? options.reduceInputChars : 0), HIGH);
    low = { input: low.input + site.count.min * lowEach.input, output: low.output + site.count.min * lowEach.output };
    const most = site.count.max ?? 0;
    counted += most;
    high = { input: high.input + most * highEach.input, output: high.output + most * highEach.output };
  }
  // Sub-agents the code leaves open are priced at the thorough shape, up to the cap.
  if (count.max === undefined) {
    const open = Math.max(0, options.maxAgents - counted);
    const each = perAgent(Math.max(0, ...count.sites.map((s) => s.promptChars)), HIGH);
    high = { input: high.input + open * each.input, output: high.output + open * each.output };
  }
  const usd = (t: { input: number; output: number }) => (price === undefined ? 0 : (t.input * price.input + t.output * price.output) / 1e6);
  const projected = {
    agents: { min: count.min, max: count.max === undefined ? null : count.max },
    unknowns: [...count.unknowns],
    agentCap: options.maxAgents,
    tokens: { min: low.input + low.output, max: high.input + high.output },
    usd: price === undefined ? null : { min: usd(low), max: usd(high) },
    model: options.model,
  };
  return { ...projected, summary: formatEstimate(projected) };
}

const money = (usd: number) => (usd === 0 ? "$0" : usd < 0.01 ? "<$0.01" : `$${usd.toFixed(2)}`);
const tokens = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${Math.round(n / 1e3)}k` : String(n));

/** "3 sub-agents" / "1–4 sub-agents" / "at least 1 sub-agent, the rest unknown (at most 100, --max-agents)". */
export function formatAgentCount(estimate: Pick<CostEstimate, "agents" | "agentCap">): string {
  const { min, max } = estimate.agents;
  const noun = (n: number) => (n === 1 ? "sub-agent" : "sub-agents");
  if (max === null) return `at least ${min} ${noun(min)}, the rest unknown (at most ${estimate.agentCap}, --max-agents)`;
  return min === max ? `${min} ${noun(min)}` : `${min}–${max} ${noun(max)}`;
}

/** One line: the count, the tokens and the dollars. */
function formatEstimate(estimate: Omit<CostEstimate, "summary">): string {
  const cost = estimate.usd === null ? `price of ${estimate.model} unknown` : `${money(estimate.usd.min)}–${money(estimate.usd.max)}`;
  return `projected: ${formatAgentCount(estimate)} · ${tokens(estimate.tokens.min)}–${tokens(estimate.tokens.max)} tokens · ${cost}`;
}
