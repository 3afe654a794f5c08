import { describe, expect, it } from "vitest";
import type { WorkflowProposal } from "../../src/run/approval.js";
import { createInkApproval, type EditOutcome, type ValidationLike } from "../../src/ui/ink-approval-port.js";
import { createUiStore } from "../../src/ui/ui-store.js";
import { settle } from "./render-ink.js";

const CODE = 'async function main(wf) {\n  return wf.runAgent("a");\n}';
const proposal = (workflowId: string, code = CODE): WorkflowProposal => ({ workflowId, name: "audit", code, maxConcurrency: 8, warnings: [] });
const valid: ValidationLike = { ok: true, diagnostics: [] };

function setup(edits: EditOutcome[] = [], validate: (code: string) => ValidationLike | Promise<ValidationLike> = () => valid) {
  const store = createUiStore({ setTimer: () => 0, clearTimer: () => {} });
  const approval = createInkApproval({
    store,
    validate: async (code) => validate(code),
    editCode: async () => edits.shift() ?? { ok: false, error: "no edit scripted" },
    saveCode: async (path) => ({ outcome: "saved", path: `/abs/${path}` }),
  });
  return { store, ...approval };
}

describe("createInkApproval", () => {
  it("checks an edit off the screen's thread: approving waits for the verdict, then runs the edited code", async () => {
    const edited = CODE.replace('"a"', '"b"');
    let finish: (result: ValidationLike) => void = () => {};
    const { store, port, actions } = setup([{ ok: true, code: edited }], () => new Promise<ValidationLike>((resolve) => (finish = resolve)));
    const decision = port.ask(proposal("w1"), new AbortController().signal);
    actions.edit();
    await settle();
    expect(store.getSnapshot().approval).toMatchObject({ code: CODE, revision: 0, notice: { tone: "ok", text: "checking the edited code…" } });
    actions.approve();
    expect(store.getSnapshot().approval?.notice).toEqual({ tone: "error", text: "the edited code is still being checked; approve again once it is" });
    finish(valid);
    await settle();
    expect(store.getSnapshot().approval).toMatchObject({ code: edited, edited: true, problems: [], revision: 1 });
    actions.approve();
    await expect(decision).resolves.toEqual({ type: "approve", code: edited });
  });

  it("shows the proposal and resolves with the person's decision", async () => {
    const { store, port, actions } = setup();
    const decision = port.ask(proposal("w1"), new AbortController().signal);
    expect(store.getSnapshot().approval?.proposal.workflowId).toBe("w1");
    actions.reject("too broad");
    await expect(decision).resolves.toEqual({ type: "reject", reason: "too broad" });
    expect(store.getSnapshot().approval).toBeUndefined();
  });

  it("gives a rejection without words a reason the parent can read", async () => {
    const { port, actions } = setup();
    const decision = port.ask(proposal("w1"), new AbortController().signal);
    actions.reject("");
    await expect(decision).resolves.toEqual({ type: "reject", reason: "the person rejected it without a reason" });
  });

  it("offers the rejected workflow to diff against when the revision comes", async () => {
    const { store, port, actions } = setup();
    const first = port.ask(proposal("w1", "old code"), new AbortController().signal);
    actions.reject("no");
    await first;
    void port.ask(proposal("w2", "new code"), new AbortController().signal);
    expect(store.getSnapshot().approval?.previous).toEqual({ workflowId: "w1", code: "old code" });
  });

  it("approves the edited code when the person edited it, after validating it", async () => {
    const edited = CODE.replace('"a"', '"b"');
    const seen: string[] = [];
    const { store, port, actions } = setup([{ ok: true, code: edited }], (code) => {
      seen.push(code);
      return { ok: true, diagnostics: [{ line: 1, column: 1, severity: "warning", message: "careful" }] };
    });
    const decision = port.ask(proposal("w1"), new AbortController().signal);
    actions.edit();
    await settle();
    expect(seen).toEqual([edited]);
    expect(store.getSnapshot().approval).toMatchObject({ code: edited, edited: true, problems: [], warnings: ["1:1 careful"], revision: 1 });
    actions.approve();
    await expect(decision).resolves.toEqual({ type: "approve", code: edited });
  });

  it("approves without code when nothing was edited", async () => {
    const { port, actions } = setup();
    const decision = port.ask(proposal("w1"), new AbortController().signal);
    actions.approve();
    await expect(decision).resolves.toEqual({ type: "approve" });
  });

  it("blocks approval while the edited code has errors, and says what to do", async () => {
    const { store, port, actions } = setup([{ ok: true, code: "async function main(wf) {" }], () => ({
      ok: false,
      diagnostics: [{ line: 1, column: 26, severity: "error", message: "syntax error: Unexpected token" }],
    }));
    const decision = port.ask(proposal("w1"), new AbortController().signal);
    actions.edit();
    await settle();
    actions.approve();
    expect(store.getSnapshot().approval?.problems).toEqual(["1:26 syntax error: Unexpected token"]);
    expect(store.getSnapshot().approval?.notice?.text).toMatch(/press e to fix them/);
    actions.stop();
    await expect(decision).resolves.toEqual({ type: "stop", reason: "stopped at approval" });
  });

  it("keeps the code when the editor fails, and tells the person", async () => {
    const { store, port, actions } = setup([{ ok: false, error: "the editor (nano) exited with code 1" }]);
    void port.ask(proposal("w1"), new AbortController().signal);
    actions.edit();
    await settle();
    expect(store.getSnapshot().approval).toMatchObject({ code: CODE, edited: false });
    expect(store.getSnapshot().approval?.notice?.text).toBe("the editor (nano) exited with code 1; the code is unchanged");
  });

  it("stops when the run is interrupted while it asks", async () => {
    const { store, port } = setup();
    const abort = new AbortController();
    const decision = port.ask(proposal("w1"), abort.signal);
    abort.abort();
    await expect(decision).resolves.toEqual({ type: "stop", reason: "stopped at approval" });
    expect(store.getSnapshot().approval).toBeUndefined();
  });

  it("reports where it saved the code", async () => {
    const { store, port, actions } = setup();
    void port.ask(proposal("w1"), new AbortController().signal);
    await expect(actions.save("./w.js", false)).resolves.toBe("saved");
    expect(store.getSnapshot().approval?.notice).toEqual({ tone: "ok", text: "saved to /abs/./w.js" });
  });
});

describe("createInkApproval past --confirm-over", () => {
  it("asks for a second approve that names the size before it runs the workflow", async () => {
    const { store, port, actions } = setup();
    const over = "it may start 30 sub-agents, over 25 (--confirm-over 25,$1)";
    const decision = port.ask({ ...proposal("w1"), overThreshold: over }, new AbortController().signal);
    let settled = false;
    void decision.then(() => (settled = true));
    actions.approve();
    await settle();
    expect(settled).toBe(false);
    expect(store.getSnapshot().approval?.notice).toEqual({ tone: "error", text: `${over}: press a again to run it anyway` });
    actions.approve();
    await expect(decision).resolves.toEqual({ type: "approve" });
    expect(port.confirmsOverThreshold).toBe(true);
  });
});
