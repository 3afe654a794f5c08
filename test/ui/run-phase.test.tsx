import { describe, expect, it } from "vitest";
import type { RunEvent, RunEventInput } from "../../src/events.js";
import { RunPhase } from "../../src/ui/run-phase.js";
import { initialRunViewState, reduceRunView, type RunViewState } from "../../src/ui/run-view-state.js";
import { lines, renderInk } from "./render-ink.js";

const NOW = 100_000;

function running(count: number): RunViewState {
  const events: RunEventInput[] = [{ type: "workflow_start", workflowId: "w1", name: "audit" }];
  for (let i = 1; i <= count; i += 1) {
    const agentId = `w1.${i}`;
    events.push({ type: "agent_start", agentId, role: "sub", agentType: "explorer", description: `inspect area ${i}`, model: "m", workflowId: "w1" });
    events.push({ type: "tool_start", agentId, callId: `c${i}`, tool: "grep", summary: `grep TODO src/area${i}` });
    events.push({ type: "agent_text", agentId, delta: `Reading area ${i}.\nFound 2 files.\nChecking tests of area ${i}.` });
    events.push({ type: "usage", agentId, usage: { inputTokens: 1200, outputTokens: 300 } });
  }
  return events.map((e) => ({ ...e, time: NOW - 12_000 }) as RunEvent).reduce(reduceRunView, initialRunViewState());
}

describe("RunPhase", () => {
  it("draws a pane per agent with its description, type, time, tokens, tool call and last lines", async () => {
    const view = running(3);
    const ui = await renderInk(<RunPhase workflow={view.workflow!} view={view} now={NOW} width={80} height={22} />);
    const frame = lines(ui.frame());
    expect(frame[0]).toMatch(/^audit [▒]+ 0 done · 3 running · 0 queued · 0 failed · 12s$/);
    expect(frame.slice(1, 7)).toEqual([
      "╭──────────────────────────────────────────────────────────────────────────────╮",
      "│ inspect area 1                                     explorer · 12s · 1.5k tok │",
      "│ ⚙ grep TODO src/area1                                                        │",
      "│ Found 2 files.                                                               │",
      "│ Checking tests of area 1.                                                    │",
      "╰──────────────────────────────────────────────────────────────────────────────╯",
    ]);
    expect(frame.filter((l) => l.includes("inspect area"))).toHaveLength(3);
    expect(frame.join("\n")).not.toContain("more running");
  });

  it("with 100 agents, draws only the panes that fit and lists the rest compactly", async () => {
    const view = running(100);
    const ui = await renderInk(<RunPhase workflow={view.workflow!} view={view} now={NOW} width={80} height={22} />);
    const frame = lines(ui.frame());
    expect(frame.length).toBeLessThanOrEqual(22);
    expect(frame[0]).toContain("0 done · 100 running · 0 queued · 0 failed");
    const panes = frame.filter((l) => /^│ inspect area \d+ /.test(l));
    expect(panes).toHaveLength(3);
    const list = frame.slice(-2);
    expect(list[0]).toMatch(/^\+ 97 more running: inspect area 4 12s · inspect area 5 12s/);
    expect(list[1]).toMatch(/· \+\d+ more$/);
    for (const line of frame) expect(line.length).toBeLessThanOrEqual(80);
  });

  it("lays panes out in columns on a wide terminal and still fits the height", async () => {
    const view = running(100);
    const ui = await renderInk(<RunPhase workflow={view.workflow!} view={view} now={NOW} width={200} height={48} />, { columns: 200 });
    const frame = lines(ui.frame());
    expect(frame.length).toBeLessThanOrEqual(48);
    const titles = frame.flatMap((l) => [...l.matchAll(/│ (inspect area \d+) /g)].map((m) => m[1]));
    expect(titles).toHaveLength(18);
    expect(frame.at(-2)).toMatch(/^\+ 82 more running/);
  });
});
