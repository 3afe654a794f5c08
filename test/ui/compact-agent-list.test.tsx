import { describe, expect, it } from "vitest";
import { CompactAgentList } from "../../src/ui/compact-agent-list.js";
import type { AgentView } from "../../src/ui/run-view-state.js";
import { lines, renderInk } from "./render-ink.js";

const NOW = 100_000;

function agent(i: number, description: string): AgentView {
  return {
    id: `w1.${i}`,
    agentType: "explorer",
    description,
    model: "m",
    startedAt: NOW - 5_000,
    usage: { inputTokens: 0, outputTokens: 0 },
    tool: undefined,
    toolCalls: 0,
    tail: "",
    pending: "",
    thinking: false,
    retry: undefined,
  };
}

describe("CompactAgentList", () => {
  it("fills lines to the width with wide characters counted as two columns", async () => {
    const agents = [agent(1, "審查 a"), agent(2, "審查 b"), agent(3, "plain c"), agent(4, "plain d"), agent(5, "plain e")];
    const ui = await renderInk(<CompactAgentList agents={agents} now={NOW} width={40} rows={2} />);
    expect(lines(ui.frame())).toEqual(["+ 5 more running: 審查 a 5s · 審查 b 5s", "  plain c 5s · plain d 5s · +1 more"]);
  });
});
