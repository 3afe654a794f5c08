import { describe, expect, it } from "vitest";
import { Header } from "../../src/ui/header.js";
import { initialRunViewState, type RunViewState } from "../../src/ui/run-view-state.js";
import { lines, renderInk } from "./render-ink.js";

const view: RunViewState = { ...initialRunViewState(), run: { runId: "r1", task: "audit", model: "openai/t", startedAt: 0 } };

describe("Header", () => {
  it("shows the server the person named beside the model, with the password of its URL hidden", async () => {
    const ui = await renderInk(<Header view={view} now={65_000} width={90} server="http://me:hunter2@proxy.example/v1" />);
    const [line] = lines(ui.frame());
    expect(line).toMatch(/^agentwf audit +openai\/t @ http:\/\/me:\*\*\*@proxy\.example\/v1 · 1m05s · ↑0 ↓0$/);
  });

  it("shows the model alone when no server was named", async () => {
    const ui = await renderInk(<Header view={view} now={65_000} width={90} />);
    expect(lines(ui.frame())[0]).toMatch(/^agentwf audit +openai\/t · 1m05s · ↑0 ↓0$/);
  });

  it("shows the run's sandbox beside the model, only its mode when the line is narrow", async () => {
    const wide = await renderInk(<Header view={view} now={65_000} width={130} sandbox="workspace-write, network on" />);
    expect(lines(wide.frame())[0]).toMatch(/^agentwf audit +openai\/t · workspace-write, network on · r1 · 1m05s · ↑0 ↓0$/);
    const narrow = await renderInk(<Header view={view} now={65_000} width={90} sandbox="danger-full-access: commands run without a sandbox" />);
    expect(lines(narrow.frame())[0]).toMatch(/^agentwf audit +openai\/t · danger-full-access · 1m05s · ↑0 ↓0$/);
  });
});
