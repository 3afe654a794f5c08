// End-to-end: a run interrupted by Ctrl-C, killed with kill -9, or failed in the middle, then
// continued with --resume, against the fake server. Each test waits on what the server sees
// (a request arriving), never on time, and counts the requests the resumed run makes.
import { readFile, readdir, writeFile, mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { errorReply, lastUserText, startFakeServer, text, toolCalls, toolResults, type FakeServer, type Handler, type RecordedRequest, type Reply } from "../helpers/fake-openai-server.js";
import { descendants, waitUntilGone } from "../helpers/process-tree.js";
import { runCli, spawnCli, tempHome } from "../helpers/run-cli.js";

const servers: FakeServer[] = [];
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "agentwf-resume-"));
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: Handler): Promise<FakeServer> {
  const server = await startFakeServer(handler);
  servers.push(server);
  return server;
}

const envFor = (home: string, s: FakeServer) => ({ AGENTWF_HOME: home, AGENTWF_BASE_URL: s.baseUrl, AGENTWF_API_KEY: "k" });

const FANOUT = `async function main(wf) {
  const out = await wf.mapAgents(wf.input.items, "check {item}");
  return out.join("\\n");
}`;

async function workflowFile(code: string): Promise<string> {
  const file = path.join(dir, "fanout.js");
  await writeFile(file, code);
  return file;
}

/** The one run under `home`. */
async function onlyRun(home: string): Promise<{ id: string; runDir: string }> {
  const ids = await readdir(path.join(home, "runs"));
  expect(ids).toHaveLength(1);
  const id = ids[0] ?? "";
  return { id, runDir: path.join(home, "runs", id) };
}

async function runJson(runDir: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path.join(runDir, "run.json"), "utf8")) as Record<string, unknown>;
}

async function journalPrompts(runDir: string): Promise<string[]> {
  const lines = (await readFile(path.join(runDir, "journal.jsonl"), "utf8")).split("\n").filter((l) => l !== "");
  return lines
    .map((l) => JSON.parse(l) as { kind: string; request?: { prompt: string }; result?: { ok: boolean } })
    .filter((e) => e.kind === "agent" && e.result?.ok === true)
    .map((e) => e.request?.prompt ?? "");
}

/** A handler that answers every sub-agent "seen <prompt>"; `hold` prompts are answered with `held`. */
function answering(seen: string[], hold: (prompt: string) => Reply | undefined = () => undefined): Handler {
  return (req: RecordedRequest) => {
    const prompt = lastUserText(req);
    seen.push(prompt);
    return hold(prompt) ?? text(`seen ${prompt}`);
  };
}

/** Resolves when `count` requests matching `test` have reached the server. */
function arrivals(test: (prompt: string) => boolean, count: number): { handler: (seen: string[], hold: (p: string) => Reply | undefined) => Handler; reached: Promise<void> } {
  let resolve: () => void = () => {};
  const reached = new Promise<void>((r) => {
    resolve = r;
  });
  let n = 0;
  return {
    reached,
    handler: (seen, hold) => {
      const inner = answering(seen, hold);
      return (req) => {
        const reply = inner(req);
        if (test(lastUserText(req))) {
          n += 1;
          if (n === count) resolve();
        }
        return reply;
      };
    },
  };
}

// Each test runs the CLI two or three times; on a loaded two-core machine that needs more than
// the suite's default minute.
const E2E_TIMEOUT_MS = 180_000;

const ITEMS = ["a", "b", "c", "d", "e", "f"];
const input = JSON.stringify({ items: ITEMS });

/** The report of the same workflow run without interruption, in a home of its own. */
async function uninterruptedReport(file: string): Promise<string> {
  const home = await tempHome();
  const server = await serve(answering([]));
  const run = await runCli(["exec", file, "--input", input, "-m", "openai/t", "-c", "1"], { env: envFor(home, server) });
  expect(run.exitCode).toBe(0);
  return run.stdout;
}

describe("Ctrl-C in the middle of a fan-out", () => {
  it("exits 130, leaves no process, keeps every finished sub-agent, leaves -o untouched and says how to resume; the resume runs only the rest", async () => {
    const file = await workflowFile(FANOUT);
    const reference = await uninterruptedReport(file);
    const home = await tempHome();
    const seen: string[] = [];
    // -c 3: a and b answer; c, d and e hang. d and e start only after a and b have ended, and a
    // sub-agent's journal line is on disk before its slot passes on, so once d and e have
    // arrived, a and b are in the journal and three requests are in flight.
    const waiting = arrivals((p) => p === "check d" || p === "check e", 2);
    const server = await serve(waiting.handler(seen, (p) => (["check c", "check d", "check e"].includes(p) ? { kind: "hang" } : undefined)));
    const out = path.join(dir, "report.md");
    await writeFile(out, "the previous report\n");
    const cli = spawnCli(["exec", file, "--input", input, "-m", "openai/t", "-c", "3", "-o", out], { env: envFor(home, server) });
    await waiting.reached;
    const children = descendants(cli.pid ?? 0);
    expect(children.length).toBeGreaterThan(0); // the sandbox child, at least
    // What a terminal's Ctrl-C does: SIGINT to the whole foreground process group.
    process.kill(-(cli.pid ?? 0), "SIGINT");
    const ended = await cli;
    expect(ended.exitCode).toBe(130);
    await waitUntilGone([cli.pid ?? 0, ...children]);

    const { id, runDir } = await onlyRun(home);
    expect(String(ended.stderr)).toContain(`agentwf: 2 sub-agents finished and are kept; resume with: agentwf exec ${file} --resume ${id}`);
    expect((await runJson(runDir)).status).toBe("interrupted");
    expect((await journalPrompts(runDir)).sort()).toEqual(["check a", "check b"]);
    expect(await readFile(out, "utf8")).toBe("the previous report\n");
    expect(seen.sort()).toEqual(["check a", "check b", "check c", "check d", "check e"]);

    const again: string[] = [];
    const resumeServer = await serve(answering(again));
    const resumed = await runCli(["exec", file, "--resume", id, "-c", "3", "-o", out], { env: envFor(home, resumeServer) });
    expect(resumed.exitCode).toBe(0);
    expect(resumed.stdout).toBe(reference);
    expect(again.sort()).toEqual(["check c", "check d", "check e", "check f"]);
    expect(await readFile(out, "utf8")).toBe(`${reference}\n`);
    expect((await runJson(runDir)).status).toBe("done");
  }, E2E_TIMEOUT_MS);
});

describe("kill -9, then --resume", () => {
  it("lists the killed run with its resume command; the resumed report equals an uninterrupted run's, with no request for a finished sub-agent", async () => {
    const file = await workflowFile(FANOUT);
    const reference = await uninterruptedReport(file);
    const home = await tempHome();
    const seen: string[] = [];
    // -c 1: when d arrives, a, b and c have ended and are journaled.
    const waiting = arrivals((p) => p === "check d", 1);
    const server = await serve(waiting.handler(seen, (p) => (p === "check d" ? { kind: "hang" } : undefined)));
    const cli = spawnCli(["exec", file, "--input", input, "-m", "openai/t", "-c", "1"], { env: envFor(home, server) });
    await waiting.reached;
    const children = descendants(cli.pid ?? 0);
    process.kill(cli.pid ?? 0, "SIGKILL");
    const ended = await cli;
    expect(ended.signal).toBe("SIGKILL");
    // The sandbox child sees its IPC channel close and exits by itself.
    await waitUntilGone(children);

    const { id, runDir } = await onlyRun(home);
    expect((await runJson(runDir)).status).toBe("running");
    const runs = await runCli(["runs"], { env: { AGENTWF_HOME: home } });
    expect(runs.stdout).toContain(`${id}`);
    expect(runs.stdout).toMatch(new RegExp(`${id} .* killed `));
    expect(runs.stdout).toContain(`    resume: agentwf exec ${file} --resume ${id}`);
    const show = await runCli(["runs", "show", id], { env: { AGENTWF_HOME: home } });
    expect(show.stdout).toContain("status:   killed");
    expect(show.stdout).toContain(`resume:   agentwf exec ${file} --resume ${id}`);

    const again: string[] = [];
    const resumeServer = await serve(answering(again));
    const resumed = await runCli(["exec", file, "--resume", id], { env: envFor(home, resumeServer) });
    expect(resumed.exitCode).toBe(0);
    expect(resumed.stdout).toBe(reference);
    expect(again).toEqual(["check d", "check e", "check f"]);
    expect((await runJson(runDir)).status).toBe("done");
    const after = await runCli(["runs"], { env: { AGENTWF_HOME: home } });
    expect(after.stdout).toMatch(new RegExp(`${id} .* done `));
    expect(after.stdout).not.toContain("resume:");
  }, E2E_TIMEOUT_MS);

  it("restores the parent's conversation: its first answer comes from the journal, the workflow runs again without approval, only unfinished sub-agents reach the server", async () => {
    const isParent = (req: RecordedRequest) => (req.body.tools ?? []).some((t) => t.function.name === "workflow");
    const parentHandler = (sub: Handler): Handler => (req) => {
      if (!isParent(req)) return sub(req);
      const results = toolResults(req);
      if (results.length === 0) return toolCalls({ name: "workflow", arguments: { name: "fanout", code: 'async function main(wf) { const out = await wf.mapAgents(["a","b","c","d","e","f"], "check {item}"); return out.join(" | "); }' } });
      return text(`report: ${results[0] ?? ""}`);
    };
    const task = "check every letter";
    const refHome = await tempHome();
    const refServer = await serve(parentHandler(answering([])));
    const reference = await runCli(["run", task, "--yes", "-m", "openai/t", "-c", "1"], { env: envFor(refHome, refServer) });
    expect(reference.exitCode).toBe(0);
    expect(reference.stdout).toBe("report: seen check a | seen check b | seen check c | seen check d | seen check e | seen check f");

    const home = await tempHome();
    const waiting = arrivals((p) => p === "check d", 1);
    const server = await serve(parentHandler(waiting.handler([], (p) => (p === "check d" ? { kind: "hang" } : undefined))));
    const cli = spawnCli(["run", task, "--yes", "-m", "openai/t", "-c", "1"], { env: envFor(home, server) });
    await waiting.reached;
    process.kill(cli.pid ?? 0, "SIGKILL");
    await cli;
    const { id } = await onlyRun(home);

    const parentCalls: number[] = [];
    const subPrompts: string[] = [];
    const resumeServer = await serve((req) => {
      if (isParent(req)) parentCalls.push(toolResults(req).length);
      return parentHandler(answering(subPrompts))(req);
    });
    // No terminal: --yes is still needed for any new workflow, but this one was approved before.
    const resumed = await runCli(["run", "--resume", id, "--yes"], { env: envFor(home, resumeServer) });
    expect(resumed.exitCode).toBe(0);
    expect(resumed.stdout).toBe(reference.stdout);
    // Only the parent's answer after the workflow: its first turn came from the journal.
    expect(parentCalls).toEqual([1]);
    expect(subPrompts).toEqual(["check d", "check e", "check f"]);
  }, E2E_TIMEOUT_MS);
});

describe("a failed sub-agent in the middle", () => {
  it("fails the run, and on --resume only that sub-agent runs again", async () => {
    const file = await workflowFile(FANOUT);
    const reference = await uninterruptedReport(file);
    const home = await tempHome();
    const seen: string[] = [];
    const server = await serve(answering(seen, (p) => (p === "check c" ? errorReply(400, "this request is refused") : undefined)));
    const failed = await runCli(["exec", file, "--input", input, "-m", "openai/t", "-c", "1"], { env: envFor(home, server) });
    expect(failed.exitCode).toBe(1);
    const { id, runDir } = await onlyRun(home);
    expect(failed.stderr).toContain(`agentwf: 5 sub-agents finished and are kept; resume with: agentwf exec ${file} --resume ${id}`);
    expect((await runJson(runDir)).status).toBe("failed");
    expect(seen).toEqual(["check a", "check b", "check c", "check d", "check e", "check f"]);

    const again: string[] = [];
    const resumeServer = await serve(answering(again));
    const resumed = await runCli(["exec", file, "--resume", id], { env: envFor(home, resumeServer) });
    expect(resumed.exitCode).toBe(0);
    expect(resumed.stdout).toBe(reference);
    expect(again).toEqual(["check c"]);
  }, E2E_TIMEOUT_MS);

  it("runs a changed request alone: the finished sub-agents after it are still taken from the journal", async () => {
    const file = await workflowFile(FANOUT);
    const home = await tempHome();
    const server = await serve(answering([], (p) => (p === "check c" ? errorReply(400, "this request is refused") : undefined)));
    const failed = await runCli(["exec", file, "--input", input, "-m", "openai/t", "-c", "1"], { env: envFor(home, server) });
    expect(failed.exitCode).toBe(1);
    const { id } = await onlyRun(home);

    const again: string[] = [];
    const resumeServer = await serve(answering(again));
    // The person fixes the failing item's input and resumes: only the new request reaches the server.
    const changed = JSON.stringify({ items: ["a", "b", "C", "d", "e", "f"] });
    const resumed = await runCli(["exec", file, "--resume", id, "--input", changed], { env: envFor(home, resumeServer) });
    expect(resumed.exitCode).toBe(0);
    expect(resumed.stdout).toBe(["a", "b", "C", "d", "e", "f"].map((x) => `seen check ${x}`).join("\n"));
    expect(again).toEqual(["check C"]);
  }, E2E_TIMEOUT_MS);

  it("refuses to resume a run that is done, and a run id of the other command, with one line and exit 2", async () => {
    const file = await workflowFile(FANOUT);
    const home = await tempHome();
    const server = await serve(answering([]));
    const done = await runCli(["exec", file, "--input", input, "-m", "openai/t"], { env: envFor(home, server) });
    expect(done.exitCode).toBe(0);
    const { id } = await onlyRun(home);
    const again = await runCli(["exec", file, "--resume", id], { env: envFor(home, server) });
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toBe(`agentwf: run ${id} is done; its report: agentwf runs show ${id}`);
    const wrong = await runCli(["run", "--resume", id, "--yes"], { env: envFor(home, server) });
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toBe(`agentwf: run ${id} was started by agentwf exec; resume it with: agentwf exec ${file} --resume ${id}`);
  }, E2E_TIMEOUT_MS);
});
