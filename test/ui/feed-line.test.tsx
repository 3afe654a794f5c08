import { describe, expect, it } from "vitest";
import { FeedLine } from "../../src/ui/feed-line.js";
import type { FeedItem } from "../../src/ui/run-view-state.js";
import { lines, renderInk } from "./render-ink.js";

const render = (item: FeedItem, width = 80) => renderInk(<FeedLine item={item} width={width} colorLevel={0} />);

describe("FeedLine", () => {
  it("sums the run up: status, agents and failures, wall time, tokens in and out, cost", async () => {
    const ui = await render({
      kind: "summary",
      key: "f0",
      summary: { runId: "r7", status: "done", error: undefined, agents: 12, failedAgents: 2, wallMs: 83_400, usage: { inputTokens: 182_000, outputTokens: 21_400, costUsd: 0.4312 } },
    });
    const frame = lines(ui.frame()).filter((l) => l !== "");
    expect(frame[0]).toMatch(/^── done · run r7 ─+$/);
    expect(frame.slice(1)).toEqual(["12 agents (2 failed) · wall 1m23s · tokens ↑182k ↓21k · cost $0.4312"]);
  });

  it("says why a run did not finish", async () => {
    const ui = await render({
      kind: "summary",
      key: "f0",
      summary: { runId: "r8", status: "rejected", error: "stopped at approval", agents: 0, failedAgents: 0, wallMs: 4000, usage: { inputTokens: 10, outputTokens: 5 } },
    });
    const frame = lines(ui.frame()).filter((l) => l !== "");
    expect(frame[0]).toMatch(/^── stopped · run r8 ─+$/);
    expect(frame[1]).toBe("0 agents · wall 4.0s · tokens ↑10 ↓5");
    expect(frame[2]).toBe("stopped at approval");
  });

  it("renders the report as markdown", async () => {
    const ui = await render({ kind: "report", key: "f1", markdown: "# Findings\n\n- **one** thing\n- `two`\n\n| a | b |\n| - | - |\n| 1 | 2 |" });
    expect(lines(ui.frame()).filter((l) => l !== "")).toEqual(["Findings", "• one thing", "• two", "┌───┬───┐", "│ a │ b │", "├───┼───┤", "│ 1 │ 2 │", "└───┴───┘"]);
  });

  it("folds a finished agent to one line with its time, tokens and error", async () => {
    const ui = await render({
      kind: "agent",
      key: "f2",
      agent: { id: "w1.3", agentType: "explorer", description: "inspect beta", ok: false, error: "timed out", durationMs: 65_000, usage: { inputTokens: 900, outputTokens: 350 } },
    });
    expect(lines(ui.frame())).toEqual(["✗ inspect beta · explorer · 1m05s · 1.3k tok · timed out"]);
  });
});
