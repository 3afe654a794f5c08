// The built CLI in a real terminal: tmux gives it a pseudo-terminal of a fixed size, send-keys
// types, capture-pane reads the screen. Against the scripted model server, a person rejects the
// first workflow with a reason, sees the revision as a diff, edits it in $EDITOR, approves it,
// watches the panes, and reads the report. Every wait polls the screen until a deadline.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile, chmod } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { toolResults } from "../helpers/fake-openai-server.js";
import { BIN, REPO_ROOT, tempHome } from "../helpers/run-cli.js";
import { REPORT_HEADING, startScenario, type Scenario } from "./tmux-scenario.js";

const hasTmux = spawnSync("tmux", ["-V"], { stdio: "ignore" }).status === 0;
const SOCKET = `agentwf-e2e-${process.pid}`;
const SESSION = "run";
const WAIT_MS = 45_000;

const tmux = (...args: string[]): string => {
  const result = spawnSync("tmux", ["-L", SOCKET, "-f", "/dev/null", ...args], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`tmux ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout;
};
const screen = (): string => tmux("capture-pane", "-p", "-t", SESSION);
const history = (): string => tmux("capture-pane", "-p", "-S", "-2000", "-t", SESSION);
const keys = (...k: string[]) => tmux("send-keys", "-t", SESSION, ...k);
const typeText = (text: string) => tmux("send-keys", "-t", SESSION, "-l", text);

/** Polls `read` until `ready` holds or the deadline passes; the error shows the last screen. */
async function waitFor(what: string, ready: (text: string) => boolean, read: () => string = screen): Promise<string> {
  const deadline = Date.now() + WAIT_MS;
  let last = "";
  while (Date.now() < deadline) {
    last = read();
    if (ready(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`timed out waiting for ${what}; the screen was:\n${last}`);
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

let scenario: Scenario | undefined;
afterEach(async () => {
  spawnSync("tmux", ["-L", SOCKET, "kill-server"], { stdio: "ignore" });
  scenario?.release();
  await scenario?.server.close();
  scenario = undefined;
});

describe.skipIf(!hasTmux)(hasTmux ? "agentwf run in a real terminal (tmux)" : "agentwf run in a real terminal (skipped: tmux is not installed)", () => {
  it("rejects with a reason, shows the revision as a diff, takes an edit, approves, shows panes and prints the report", async () => {
    expect(existsSync(path.join(REPO_ROOT, "dist", "cli", "entry.js")), "build first: npm run build").toBe(true);
    scenario = await startScenario({ hold: true, chunkDelayMs: 5 });
    const home = await tempHome();
    const work = await mkdtemp(path.join(os.tmpdir(), "agentwf-tmux-"));
    const report = path.join(work, "report.md");
    const exitFile = path.join(work, "exit");
    // The "editor" changes one area, as a person would in vi.
    const editor = path.join(work, "edit.sh");
    await writeFile(editor, '#!/bin/sh\nsed -i \'s/"delta"\\]/"zeta"]/\' "$1"\n');
    await chmod(editor, 0o755);
    const env = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? os.tmpdir(),
      TERM: "screen-256color",
      AGENTWF_HOME: home,
      AGENTWF_BASE_URL: scenario.server.baseUrl,
      AGENTWF_API_KEY: "test-key",
      EDITOR: editor,
    };
    // stdout goes to a file, so the UI draws on stderr (the terminal) and the report alone reaches stdout.
    const command = [
      "env -i",
      ...Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`),
      process.execPath,
      "--no-node-snapshot",
      shellQuote(BIN),
      "run -m openai/test-model",
      shellQuote("audit the areas"),
      `> ${shellQuote(report)}; echo $? > ${shellQuote(exitFile)}; sleep 600`,
    ].join(" ");
    tmux("new-session", "-d", "-s", SESSION, "-x", "100", "-y", "30", "-c", REPO_ROOT, command);

    await waitFor("the approval screen", (s) => s.includes("Workflow w1 · area-audit") && s.includes("a/⏎ approve"));
    expect(screen()).toContain('"epsilon"];');

    keys("r");
    await waitFor("the reason prompt", (s) => s.includes("Reason for the agent:"));
    typeText("five areas is too many");
    await waitFor("the typed reason", (s) => s.includes("Reason for the agent: five areas is too many"));
    keys("Enter");

    const revision = await waitFor("the revision as a diff", (s) => s.includes("Workflow w2 · area-audit") && s.includes("[diff]"));
    const revisionSeen = Date.now();
    expect(revision).toContain("revises w1 (+2 −1)");
    expect(revision).toMatch(/^-2 │ {3}const areas = \["alpha", "beta", "gamma", "delta", "epsilon"\];$/m);
    expect(revision).toMatch(/^\+2 │ {3}const areas = \["alpha", "beta", "gamma", "delta"\];$/m);
    expect(revision).toMatch(/^\+5 │ {5}maxConcurrency: 4,$/m);
    const afterReject = scenario.parentRequests()[1];
    expect(toolResults(afterReject!).at(-1)).toContain("Their reason: five areas is too many");

    keys("e");
    await waitFor("the edited code", (s) => s.includes("edited by you") && s.includes('"zeta"];'));
    // The screen ignores approve keys for 300 ms after a proposal appears (a stray Enter must not
    // approve unseen code); it appeared before we saw it, so this much later is always past that.
    const armed = revisionSeen + 400 - Date.now();
    if (armed > 0) await new Promise((resolve) => setTimeout(resolve, armed));
    keys("a");

    const panes = await waitFor("the sub-agent panes", (s) => s.includes("area-audit") && s.includes("4 running") && s.includes("╭"));
    expect(panes).toMatch(/│ inspect alpha +general-purpose · \d+s · 0 tok │/);
    expect(panes).toContain("… waiting for the model");
    for (const area of ["alpha", "beta", "gamma", "zeta"]) expect(panes).toContain(`│ inspect ${area} `);
    scenario.release();

    await waitFor("the end of the run", () => existsSync(exitFile), () => "");
    expect((await readFile(exitFile, "utf8")).trim()).toBe("0");
    const final = await waitFor("the summary and report", (s) => s.includes("── done") && s.includes("• alpha is fine"), history);
    expect(final).toMatch(/── done · run \d{8}-\d{6}-\w+ ─+\n5 agents · wall [\d.]+s · tokens ↑[\d.]+k ↓\d+\n/);
    expect(final).toContain("✓ inspect zeta");
    expect(final).toContain("│ log inspected 4 areas");
    const stdout = await readFile(report, "utf8");
    expect(stdout.startsWith(`# ${REPORT_HEADING}\n`)).toBe(true);
    expect(stdout).toContain("- **alpha** is fine");
    expect(stdout).not.toMatch(/\x1b/);
    // The parent was told the person edited its workflow, and got the version that ran.
    const lastParent = scenario.parentRequests().at(-1);
    expect(toolResults(lastParent!).at(-1)).toMatch(/The person edited your workflow before approving it[\s\S]*"zeta"\]/);
    // Nothing raw reached the terminal: capture-pane shows escapes it did not understand as text.
    expect(final).not.toMatch(/\x1b|\[\d+m/);
  });
});
