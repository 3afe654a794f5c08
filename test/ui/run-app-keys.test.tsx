// The live view's keys through the real Ink app (ink-testing-library): the cursor moves over the
// panes, p/x/r reach the run's controls for the selected sub-agent, X asks before stopping the
// run, and a budget question answers to its key.
import { describe, expect, it } from "vitest";
import type { RunEvent, RunEventInput } from "../../src/events.js";
import type { PauseDecision, RunControls } from "../../src/run/run-control.js";
import { RunApp } from "../../src/ui/run-app.js";
import { createUiStore } from "../../src/ui/ui-store.js";
import { lines, renderInk } from "./render-ink.js";

const NOW = 50_000;
const noActions = { approve() {}, reject() {}, stop() {}, edit() {}, save: async () => "saved" as const };

function setup() {
  const store = createUiStore({ setTimer: () => 0, clearTimer: () => {} });
  const events: RunEventInput[] = [
    { type: "run_start", runId: "r1", task: "audit", model: "demo", cwd: "/repo" },
    { type: "workflow_start", workflowId: "w1", name: "audit" },
  ];
  for (const i of [1, 2, 3]) events.push({ type: "agent_start", agentId: `w1.${i}`, role: "sub", agentType: "explorer", description: `area ${i}`, model: "m", workflowId: "w1" });
  for (const e of events) store.push({ ...e, time: NOW - 1000 } as RunEvent);
  store.flush();
  const calls: string[] = [];
  const controls: RunControls = {
    togglePause: () => (calls.push("pause"), true),
    stopAgent: (id) => (calls.push(`stop ${id}`), true),
    restartAgent: (id) => (calls.push(`restart ${id}`), true),
    decide: () => undefined,
    stopRun: () => void calls.push("stop run"),
  };
  return { store, calls, controls };
}

const app = (s: ReturnType<typeof setup>, withControls = true) => (
  <RunApp
    store={s.store}
    actions={noActions}
    sandboxMode="read-only"
    colorLevel={0}
    onInterrupt={() => undefined}
    now={() => NOW}
    size={{ columns: 100, rows: 40 }}
    {...(withControls ? { controls: { current: s.controls } } : {})}
  />
);

const DOWN = "\u001b[B";

describe("RunApp keys", () => {
  it("moves a cursor over the panes and stops, restarts and pauses the selected sub-agent", async () => {
    const s = setup();
    const ui = await renderInk(app(s));
    expect(lines(ui.frame()).at(-1)).toBe("↑↓ select  p pause  x stop agent  r restart agent  X stop run");
    // No pane is selected until the cursor is placed; then it is drawn with a bold border.
    expect(ui.frame()).not.toContain("┏");
    await ui.type(DOWN);
    expect(ui.frame()).toContain("┏");
    expect(lines(ui.frame()).at(-1)).toBe("↑↓ select  p pause  x stop agent  r restart agent  X stop run   on w1.1");
    await ui.type(DOWN);
    await ui.type("x");
    await ui.type("r");
    await ui.type("p");
    await ui.type(DOWN);
    await ui.type("x");
    expect(s.calls).toEqual(["stop w1.2", "restart w1.2", "pause", "stop w1.3"]);
  });

  it("asks before stopping the whole run, and a lone y stops it", async () => {
    const s = setup();
    const ui = await renderInk(app(s));
    await ui.type("X");
    expect(lines(ui.frame()).at(-1)).toBe("Stop the run? Running sub-agents finish, then it ends paused (resumable). y: stop · other: go on");
    await ui.type("n");
    expect(s.calls).toEqual([]);
    await ui.type("X");
    await ui.type("y");
    expect(s.calls).toEqual(["stop run"]);
  });

  it("ignores a paste of action keys", async () => {
    const s = setup();
    const ui = await renderInk(app(s));
    await ui.type("xrpX");
    expect(s.calls).toEqual([]);
    expect(lines(ui.frame()).at(-1)).toBe("↑↓ select  p pause  x stop agent  r restart agent  X stop run");
  });

  it("shows why the run is paused", async () => {
    const s = setup();
    s.store.push({ type: "run_paused", time: NOW, cause: "person", reason: "paused by the person (p)", spentTokens: 0 });
    s.store.flush();
    const ui = await renderInk(app(s));
    expect(lines(ui.frame()).at(-1)).toBe("⏸ paused by the person (p) · ↑↓ select  p continue  x stop agent  r restart agent  X stop run");
  });

  it("has no keys line before the run's controls exist", async () => {
    const s = setup();
    const ui = await renderInk(app(s, false));
    await ui.type("x");
    expect(s.calls).toEqual([]);
    expect(ui.frame()).not.toContain("stop agent");
  });

  it("answers a question with its key and nothing else", async () => {
    const s = setup();
    const answers: string[] = [];
    s.store.setQuestion({
      text: "Paused: the run's budget of $1.00 (--budget) is spent ($1.02 used).",
      choices: [
        { key: "+", label: "raise the budget to $2.00 and go on" },
        { key: "s", label: "stop here" },
      ],
      answer: (key) => answers.push(key),
    });
    const ui = await renderInk(app(s));
    expect(lines(ui.frame()).slice(-2)).toEqual(["Paused: the run's budget of $1.00 (--budget) is spent ($1.02 used).", "+ raise the budget to $2.00 and go on  s stop here"]);
    await ui.type("x");
    await ui.type("+s");
    expect(answers).toEqual([]);
    await ui.type("+");
    expect(answers).toEqual(["+"]);
    expect(s.calls).toEqual([]);
  });
});

// Keeps the type import used: the front end's budget prompt resolves to these decisions.
export type { PauseDecision };
