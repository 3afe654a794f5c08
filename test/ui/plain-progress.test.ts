import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../src/events.js";
import { createPlainProgress } from "../../src/ui/plain-progress.js";

const usage = { inputTokens: 0, outputTokens: 0 };

function lines(events: readonly RunEvent[]): string[] {
  const out: string[] = [];
  const progress = createPlainProgress({ write: (line) => out.push(line), colorLevel: 0 });
  for (const event of events) progress(event);
  return out;
}

describe("createPlainProgress", () => {
  it("names a queued agent that ended without starting (refused by the budget) by its description", () => {
    const out = lines([
      { type: "agent_queued", time: 1, agentId: "w1.2", workflowId: "w1", description: "audit packages/b" },
      { type: "agent_end", time: 2, agentId: "w1.2", ok: false, error: "refused: --budget reached", usage, turns: 0, durationMs: 0 },
    ]);
    expect(out).toEqual(["agent    w1.2 failed audit packages/b · 0ms · 0 tokens · refused: --budget reached\n"]);
  });
});
