import { describe, expect, it } from "vitest";
import type { ApprovalActions, SaveOutcome } from "../../src/ui/approval-actions.js";
import { ApprovalScreen } from "../../src/ui/approval-screen.js";
import type { ApprovalSession } from "../../src/ui/ui-store.js";
import { render } from "ink-testing-library";
import { lines, renderInk, settle } from "./render-ink.js";

const SHORT = 'async function main(wf) {\n  return wf.runAgent("check the tests", { agent: "reviewer" });\n}';

function session(code: string, extra: Partial<ApprovalSession> = {}): ApprovalSession {
  return {
    proposal: { workflowId: "w1", name: "audit", code, maxConcurrency: 4, warnings: [] },
    code,
    edited: false,
    previous: undefined,
    warnings: [],
    problems: [],
    notice: undefined,
    revision: 0,
    shownAt: 0,
    ...extra,
  };
}

function recorder() {
  const calls: string[] = [];
  const actions: ApprovalActions = {
    approve: () => calls.push("approve"),
    reject: (reason) => calls.push(`reject:${reason}`),
    stop: () => calls.push("stop"),
    edit: () => calls.push("edit"),
    save: async (path, overwrite): Promise<SaveOutcome> => {
      calls.push(`save:${path}:${overwrite}`);
      return "saved";
    },
  };
  return { calls, actions };
}

const ESC = "\u001b";
const DOWN = `${ESC}[B`;
const PAGE_DOWN = `${ESC}[6~`;
const END = `${ESC}[F`;

describe("ApprovalScreen", () => {
  it("shows the name, numbered code, the summary line and the keys", async () => {
    const { actions } = recorder();
    const ui = await renderInk(<ApprovalScreen session={session(SHORT)} actions={actions} sandboxMode="read-only" width={80} height={20} armDelayMs={0} />);
    expect(lines(ui.frame())).toEqual([
      "Workflow w1 · audit",
      "1 │ async function main(wf) {",
      '2 │   return wf.runAgent("check the tests", { agent: "reviewer" });',
      "3 │ }",
      "agents: reviewer · maxConcurrency: 4 · sandbox: read-only · no warnings",
      "a/⏎ approve  r reject  e edit  s save  q stop run   ↑↓ PgUp PgDn scroll",
    ]);
  });

  it("scrolls code taller than the screen with the arrows, PgDn and End, and never grows past its height", async () => {
    const long = Array.from({ length: 200 }, (_, i) => `  const line${i + 1} = ${i + 1};`).join("\n");
    const { actions } = recorder();
    const ui = await renderInk(<ApprovalScreen session={session(long)} actions={actions} sandboxMode="read-only" width={80} height={15} armDelayMs={0} />);
    const first = lines(ui.frame());
    expect(first).toHaveLength(15);
    expect(first[0]).toContain("rows 1–12 of 200");
    expect(first[1]).toBe("  1 │   const line1 = 1;");
    await ui.type(DOWN);
    expect(lines(ui.frame())[1]).toBe("  2 │   const line2 = 2;");
    await ui.type(PAGE_DOWN);
    expect(lines(ui.frame())[1]).toBe(" 13 │   const line13 = 13;");
    await ui.type(END);
    const last = lines(ui.frame());
    expect(last).toHaveLength(15);
    expect(last[0]).toContain("rows 189–200 of 200");
    expect(last[12]).toBe("200 │   const line200 = 200;");
  });

  it("wraps long lines instead of cutting them, so nothing hides past the right edge", async () => {
    const code = `async function main(wf) {\n  return 1;${" ".repeat(90)}wf.runAgent("hidden");\n}`;
    const { actions } = recorder();
    const ui = await renderInk(<ApprovalScreen session={session(code)} actions={actions} sandboxMode="read-only" width={60} height={20} armDelayMs={0} />);
    const rows = ui.frame().split("\n");
    for (const line of rows) expect(line.length).toBeLessThanOrEqual(60);
    // The rows of line 2, gutters removed, hold the whole line (Ink drops a row's trailing spaces).
    const line2 = rows.filter((row) => /^(2 │|  ┆)/.test(row)).map((row) => row.slice(4)).join("");
    expect(line2.replace(/\s+/g, " ").trim()).toBe('return 1; wf.runAgent("hidden");');
  });

  it("shows control, bidi and zero-width characters as escapes and sends none of them raw", async () => {
    const code = 'async function main(wf) {\n  const s = "\x1b[2J\x07";\n  // \u202e }; evil(); \u2066\n  let x\u200b = 1;\n}';
    const { actions } = recorder();
    const ui = await renderInk(<ApprovalScreen session={session(code)} actions={actions} sandboxMode="read-only" width={80} height={20} armDelayMs={0} />);
    const frame = ui.frame();
    expect(frame).toContain('const s = "\\x1b[2J\\x07";');
    expect(frame).toContain("// \\u202e }; evil(); \\u2066");
    expect(frame).toContain("let x\\u200b = 1;");
    expect(frame).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f\u200b\u202e\u2066]/);
  });

  it("rejects with the reason typed after r, and Esc goes back without deciding", async () => {
    const { calls, actions } = recorder();
    const ui = await renderInk(<ApprovalScreen session={session(SHORT)} actions={actions} sandboxMode="read-only" width={80} height={20} armDelayMs={0} />);
    await ui.type("r");
    expect(ui.frame()).toContain("Reason for the agent:");
    await ui.type("x");
    await ui.type(ESC);
    expect(ui.frame()).toContain("a/⏎ approve");
    await ui.type("r");
    await ui.type("use at most ");
    await ui.type("3 agentsX");
    await ui.type("\u007f");
    expect(ui.frame()).toContain("Reason for the agent: use at most 3 agents");
    await ui.type("\r");
    expect(calls).toEqual(["reject:use at most 3 agents"]);
  });

  it("ignores an approve key that comes right as the screen appears", async () => {
    const { calls, actions } = recorder();
    let time = 0;
    const ui = await renderInk(<ApprovalScreen session={session(SHORT)} actions={actions} sandboxMode="read-only" width={80} height={20} now={() => time} />);
    await ui.type("\r");
    time = 299;
    await ui.type("a");
    expect(calls).toEqual([]);
    time = 300;
    await ui.type("a");
    expect(calls).toEqual(["approve"]);
  });

  it("approves with a or Enter, stops with q, edits with e", async () => {
    const { calls, actions } = recorder();
    const ui = await renderInk(<ApprovalScreen session={session(SHORT)} actions={actions} sandboxMode="read-only" width={80} height={20} armDelayMs={0} />);
    await ui.type("a");
    await ui.type("\r");
    await ui.type("e");
    await ui.type("q");
    expect(calls).toEqual(["approve", "approve", "edit", "stop"]);
  });

  it("saves to the offered path, and asks before it replaces an existing file", async () => {
    const calls: string[] = [];
    let exists = true;
    const actions: ApprovalActions = {
      ...recorder().actions,
      save: async (path, overwrite) => {
        calls.push(`${path}:${overwrite}`);
        if (exists && !overwrite) return "exists";
        return "saved";
      },
    };
    const ui = await renderInk(<ApprovalScreen session={session(SHORT)} actions={actions} sandboxMode="read-only" width={80} height={20} armDelayMs={0} />);
    await ui.type("s");
    expect(ui.frame()).toContain("Save to: .agentwf/workflows/audit.js");
    await ui.type("\r");
    expect(ui.frame()).toContain("File exists; Enter overwrites: .agentwf/workflows/audit.js");
    exists = false;
    await ui.type("\r");
    expect(calls).toEqual([".agentwf/workflows/audit.js:false", ".agentwf/workflows/audit.js:true"]);
    expect(ui.frame()).toContain("a/⏎ approve");
  });

  it("shows a revised workflow as a diff against the rejected one, and d switches to the full code", async () => {
    const before = 'async function main(wf) {\n  const areas = ["a", "b", "c"];\n  return areas;\n}';
    const after = 'async function main(wf) {\n  const areas = ["a", "b"];\n  return areas;\n}';
    const { actions } = recorder();
    const ui = await renderInk(
      <ApprovalScreen
        session={session(after, { proposal: { workflowId: "w2", name: "audit", code: after, maxConcurrency: 4, warnings: [] }, previous: { workflowId: "w1", code: before } })}
        actions={actions}
        sandboxMode="read-only"
        width={80}
        height={20}
        armDelayMs={0}
      />,
    );
    expect(lines(ui.frame()).slice(0, 6)).toEqual([
      "Workflow w2 · audit  revises w1 (+1 −1)  [diff]",
      " 1 │ async function main(wf) {",
      '-2 │   const areas = ["a", "b", "c"];',
      '+2 │   const areas = ["a", "b"];',
      " 3 │   return areas;",
      " 4 │ }",
    ]);
    await ui.type("d");
    expect(lines(ui.frame())[2]).toBe('2 │   const areas = ["a", "b"];');
  });

  it("lists validation findings of edited code in red and warnings in yellow", async () => {
    const { actions } = recorder();
    const ui = await renderInk(
      <ApprovalScreen
        session={session(SHORT, { edited: true, code: "async function main(wf) {", problems: ["1:26 syntax error: Unexpected token"], warnings: ["1:1 unused"] })}
        actions={actions}
        sandboxMode="read-only"
        width={80}
        height={20}
        armDelayMs={0}
      />,
    );
    const frame = ui.frame();
    expect(frame).toContain("edited by you");
    expect(frame).toContain("error 1:26 syntax error: Unexpected token");
    expect(frame).toContain("warning 1:1 unused");
  });

  describe("keys that arrive together (a paste, a fast typist, tmux send-keys)", () => {
    const screen = (actions: ApprovalActions, code = SHORT) => (
      <ApprovalScreen session={session(code)} actions={actions} sandboxMode="read-only" width={80} height={20} armDelayMs={0} />
    );

    /** Writes every chunk before React can re-render, then lets it catch up. */
    async function burst(actions: ApprovalActions, ...chunks: string[]) {
      const app = render(screen(actions));
      await settle();
      for (const chunk of chunks) app.stdin.write(chunk);
      await settle();
      return app;
    }

    it.each([
      ["r, the reason and Enter in one chunk", ["rmy reason\r"]],
      ["r, then the reason and Enter in one chunk", ["r", "my reason\r"]],
      ["r, the reason and Enter as three chunks before a re-render", ["r", "my reason", "\r"]],
      ["each key its own chunk, all before a re-render", [..."rmy reason", "\r"]],
      ["a typo erased with Backspace inside the chunk", ["rmy reasno\u007f\u007f\u007fson\r"]],
      ["Ctrl-U inside the chunk clearing what came before", ["rnot this\u0015my reason\r"]],
    ])("sends the reason typed with %s", async (_, chunks) => {
      const { calls, actions } = recorder();
      await burst(actions, ...chunks);
      expect(calls).toEqual(["reject:my reason"]);
    });

    it("turns a pasted line break into a space and sends on the Enter that follows", async () => {
      const { calls, actions } = recorder();
      await burst(actions, "r", "use two agents\nnot four\r");
      expect(calls).toEqual(["reject:use two agents not four"]);
    });

    it("drops what comes after the Enter that sent the reason, so a paste cannot also approve", async () => {
      const { calls, actions } = recorder();
      const app = await burst(actions, "rtoo wide\ra\r");
      expect(calls).toEqual(["reject:too wide"]);
      expect(app.lastFrame()).toContain("a/⏎ approve");
    });

    it("never approves, edits or stops from a paste on the key screen", async () => {
      const { calls, actions } = recorder();
      const app = await burst(actions, "yes, approve it\r", "qa", "\ra");
      expect(calls).toEqual([]);
      expect(app.lastFrame()).toContain("a/⏎ approve");
    });

    it("saves under the path edited in the same chunk as s and Enter", async () => {
      const { calls, actions } = recorder();
      await burst(actions, "s\u007f\u007fts\r");
      expect(calls).toEqual(["save:.agentwf/workflows/audit.ts:false"]);
    });

    it("counts every scroll key of a burst", async () => {
      const long = Array.from({ length: 50 }, (_, i) => `  const line${i + 1} = ${i + 1};`).join("\n");
      const { actions } = recorder();
      const app = render(screen(actions, long));
      await settle();
      app.stdin.write("j");
      app.stdin.write("j");
      app.stdin.write("jj");
      await settle();
      expect(lines(app.lastFrame() ?? "")[1]).toBe(" 5 │   const line5 = 5;");
    });

    it("shows the end of a long pasted reason, cut at the start, within the width", async () => {
      const { actions } = recorder();
      const app = await burst(actions, `r${"x".repeat(200_000)}the end`);
      const prompt = lines(app.lastFrame() ?? "").find((line) => line.startsWith("Reason for the agent:")) ?? "";
      expect(prompt).toMatch(/^Reason for the agent: …x+the end {3}⏎ send · Esc back$/);
      expect(prompt.length).toBeLessThanOrEqual(80);
    });
  });
});

describe("ApprovalScreen with a projection", () => {
  it("shows the projected sub-agents, tokens and cost under the summary", async () => {
    const { actions } = recorder();
    const estimate = {
      agents: { min: 30, max: 30 },
      unknowns: [],
      agentCap: 100,
      tokens: { min: 51_000, max: 1_800_000 },
      usd: { min: 0.01, max: 0.3 },
      model: "openai/gpt-4o-mini",
      summary: "projected: 30 sub-agents · 51k–1.8M tokens · $0.01–$0.30",
    };
    const base = session(SHORT);
    const ui = await renderInk(
      <ApprovalScreen session={{ ...base, proposal: { ...base.proposal, estimate, overThreshold: "it may start 30 sub-agents, over 25" } }} actions={actions} sandboxMode="read-only" width={80} height={20} armDelayMs={0} />,
    );
    expect(lines(ui.frame())).toEqual([
      "Workflow w1 · audit",
      "1 │ async function main(wf) {",
      '2 │   return wf.runAgent("check the tests", { agent: "reviewer" });',
      "3 │ }",
      "agents: reviewer · maxConcurrency: 4 · sandbox: read-only · no warnings",
      "projected: 30 sub-agents · 51k–1.8M tokens · $0.01–$0.30",
      "a/⏎ approve  r reject  e edit  s save  q stop run   ↑↓ PgUp PgDn scroll",
    ]);
  });
});
