import { describe, expect, it } from "vitest";
import type { RunEvent, RunEventInput } from "../../src/events.js";
import type { ApprovalDecision } from "../../src/run/approval.js";
import { BUSY_AGENTS, createInkFrontEnd, eventBatchMs, type InkFrontEndOptions } from "../../src/ui/ink-front-end.js";
import { fakeInput, fakeOutput } from "./fake-terminal.js";
import { settle } from "./render-ink.js";

const CODE = 'async function main(wf) {\n  return wf.runAgent("look at alpha");\n}';
let time = 1_000;
const event = (input: RunEventInput): RunEvent => ({ ...input, time: (time += 100) }) as RunEvent;

function setup(extra: Partial<InkFrontEndOptions> = {}) {
  const output = fakeOutput(80, 24);
  const input = fakeInput();
  const interrupts: number[] = [];
  const ui = createInkFrontEnd({
    stdin: input.stream,
    output: output.stream,
    colorLevel: 0,
    sandboxMode: "read-only",
    cwd: "/tmp",
    editor: "vi",
    validate: async () => ({ ok: true, diagnostics: [] }),
    onInterrupt: () => interrupts.push(1),
    renderOptions: { debug: true },
    now: () => time,
    ...extra,
  });
  const send = async (...inputs: RunEventInput[]) => {
    for (const e of inputs) ui.listener(event(e));
    // The store batches events on a timer; wait one batch.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await settle();
  };
  const type = async (keys: string) => {
    input.type(keys);
    await settle();
  };
  return { ui, output, send, type, interrupts, frame: () => output.writes.at(-1) ?? "" };
}

const opening: RunEventInput[] = [
  { type: "run_start", runId: "r1", task: "audit the areas", model: "openai/test", cwd: "/w" },
  { type: "agent_start", agentId: "parent", role: "parent", agentType: "parent", description: "audit", model: "openai/test" },
  { type: "tool_start", agentId: "parent", callId: "c1", tool: "list_dir", summary: "list_dir ." },
];
const proposal = { workflowId: "w1", name: "audit", code: CODE, maxConcurrency: 8, warnings: [] };

describe("createInkFrontEnd", () => {
  it("asks on the approval screen and resolves with the key the person presses", async () => {
    const t = setup();
    await t.send(...opening);
    const decision = t.ui.approval.ask(proposal, new AbortController().signal);
    await settle();
    expect(t.frame()).toContain("Workflow w1 · audit");
    expect(t.frame()).toContain("agentwf audit the areas");
    time += 1000;
    await t.type("a");
    await expect(decision).resolves.toEqual({ type: "approve" });
    await t.ui.finish(undefined);
  });

  it("opens the editor with the terminal free, shows the edit, and approves the edited code", async () => {
    const edited = CODE.replace("alpha", "beta");
    let writesWhenEditing = -1;
    const t = setup({
      editCode: async (code) => {
        writesWhenEditing = t.output.writes.length;
        expect(code).toBe(CODE);
        return { ok: true, code: edited };
      },
    });
    await t.send(...opening);
    const decision = t.ui.approval.ask(proposal, new AbortController().signal);
    await settle();
    await t.type("e");
    await settle();
    expect(writesWhenEditing).toBeGreaterThan(0);
    // While the editor ran the app was unmounted; its last frame left the live area empty.
    expect(t.output.writes[writesWhenEditing - 1]).not.toContain("Workflow w1");
    expect(t.frame()).toContain("edited by you");
    expect(t.frame()).toContain('wf.runAgent("look at beta")');
    // The remounted app does not write the scrollback a second time.
    expect(t.output.writes.slice(writesWhenEditing).join("")).not.toContain("⚙ list_dir .");
    time += 1000;
    await t.type("a");
    await expect(decision).resolves.toEqual({ type: "approve", code: edited } satisfies ApprovalDecision);
    await t.ui.finish(undefined);
  });

  it("ends with the summary and the report rendered as markdown, then gives the terminal back", async () => {
    const t = setup();
    await t.send(
      ...opening,
      { type: "agent_end", agentId: "parent", ok: true, usage: { inputTokens: 1500, outputTokens: 200 }, turns: 2, durationMs: 900 },
      { type: "run_end", runId: "r1", status: "done", usage: { inputTokens: 1500, outputTokens: 200 }, agents: 3, failedAgents: 0 },
    );
    await t.ui.finish("# Coverage\n\n- **alpha**: 2 files without tests");
    const all = t.output.text();
    expect(all).toContain("── done");
    expect(all).toContain("3 agents · wall");
    expect(all).toContain("tokens ↑1.5k ↓200");
    expect(all).toContain("Coverage\n");
    expect(all).toContain("• alpha: 2 files without tests");
    expect(all).not.toContain("**alpha**");
  });

  it("turns Ctrl-C into an interrupt: raw mode swallows the signal", async () => {
    const t = setup();
    await t.send(...opening);
    await t.type("\u0003");
    expect(t.interrupts).toEqual([1]);
    await t.ui.finish(undefined);
  });

  it("draws nothing and finishes quietly when no event ever came", async () => {
    const t = setup();
    await t.ui.finish("report");
    expect(t.output.writes).toEqual([]);
  });
});

describe("createInkFrontEnd questions", () => {
  it("asks at a budget pause and resolves with a doubled budget on +", async () => {
    const t = setup();
    await t.send(...opening);
    const decision = t.ui.pausePrompt(
      { cause: "budget", reason: "the run's budget of $1.00 (--budget) is spent ($1.02 used)", budget: { kind: "usd", amount: 1 }, spentUsd: 1.02, spentTokens: 5000 },
      new AbortController().signal,
    );
    await settle();
    expect(t.frame()).toContain("Paused: the run's budget of $1.00 (--budget) is spent ($1.02 used).");
    expect(t.frame()).toContain("+ raise the budget to $2.00 and go on  s stop here");
    await t.type("+");
    await expect(decision).resolves.toEqual({ type: "continue", budget: { kind: "usd", amount: 2 } });
    await t.ui.finish(undefined);
  });

  it("answers a question with its safe side when the run stops while it is asked", async () => {
    const t = setup();
    await t.send(...opening);
    const stop = new AbortController();
    const answer = t.ui.confirm("workflow w1 (audit): projected: 30 sub-agents; it may start 30 sub-agents, over 25. Run it anyway?", stop.signal);
    await settle();
    expect(t.frame()).toContain("y run it  n do not run it");
    stop.abort();
    await expect(answer).resolves.toBe(false);
    await t.ui.finish(undefined);
  });
});

describe("eventBatchMs", () => {
  const running = (n: number) => ({ running: Array.from({ length: n }, (_, i) => `a${i}`) });

  it("draws run events 8 times a second, and 4 once the grid is full of streaming sub-agents", () => {
    expect([0, 1, BUSY_AGENTS - 1, BUSY_AGENTS, 64].map((n) => eventBatchMs(running(n)))).toEqual([125, 125, 125, 250, 250]);
  });
});
