// End-to-end through the built CLI, without a terminal: a workflow past --confirm-over is refused
// in one line with exit 2 before any model call, runs with --yes-over, and a spent --budget ends
// the run as paused (exit 4) with the command that resumes it, paying for no new sub-agent.
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RunEventSchema } from "../../src/events.js";
import { RunResultSchema } from "../../src/run/output-format.js";
import { errorReply, lastUserText, startFakeServer, text, type FakeServer } from "../helpers/fake-openai-server.js";
import { runCli, tempHome } from "../helpers/run-cli.js";

let server: FakeServer | undefined;
let home: string;
let dir: string;

beforeEach(async () => {
  home = await tempHome();
  dir = await mkdtemp(path.join(os.tmpdir(), "agentwf-control-"));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const envFor = (s: FakeServer) => ({ AGENTWF_HOME: home, AGENTWF_BASE_URL: s.baseUrl, AGENTWF_API_KEY: "k" });

async function workflowFile(code: string): Promise<string> {
  const file = path.join(dir, "wf.js");
  await writeFile(file, code);
  return file;
}

const fanOut = (n: number) => `async function main(wf) {
  const files = [${Array.from({ length: n }, (_, i) => `"f${i}"`).join(", ")}];
  const out = await wf.mapAgents(files, "check {item}");
  return out.join(",");
}`;

describe("--confirm-over without a terminal", () => {
  it("refuses a workflow projected past 25 sub-agents in one line, exit 2, with no model call", async () => {
    server = await startFakeServer(() => text("ok"));
    const file = await workflowFile(fanOut(26));
    const run = await runCli(["exec", file, "-m", "openai/t"], { env: envFor(server) });
    expect(run.exitCode).toBe(2);
    expect(server.requests).toHaveLength(0);
    expect(run.stdout).toBe("");
    const last = run.stderr.trim().split("\n").at(-1);
    expect(last).toBe("agentwf: workflow w1 was not run: it may start 26 sub-agents, over 25 (--confirm-over 25,$1); pass --yes-over to run it anyway, or raise --confirm-over");
  });

  it("runs it with --yes-over, and with a higher --confirm-over", async () => {
    server = await startFakeServer((req) => text(`seen ${lastUserText(req).replace("check ", "")}`));
    const file = await workflowFile(fanOut(26));
    const over = await runCli(["exec", file, "-m", "openai/t", "--yes-over"], { env: envFor(server) });
    expect(over.exitCode).toBe(0);
    expect(over.stdout.split(",")).toHaveLength(26);
    const raised = await runCli(["exec", file, "-m", "openai/t", "--confirm-over", "30"], { env: envFor(server) });
    expect(raised.exitCode).toBe(0);
    expect(server.requests).toHaveLength(52);
  });

  it("puts the projection in the JSON result and in stream-json, each line valid against its schema", async () => {
    server = await startFakeServer(() => text("ok"));
    const file = await workflowFile(fanOut(3));
    const run = await runCli(["exec", file, "-m", "openai/gpt-4o-mini", "--output-format", "stream-json"], { env: envFor(server) });
    expect(run.exitCode).toBe(0);
    const lines = run.stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string });
    const result = RunResultSchema.parse(lines.at(-1));
    for (const line of lines.slice(0, -1)) if (line.type !== "progress") RunEventSchema.parse(line);
    expect(result.estimates?.[0]?.estimate.agents).toEqual({ min: 3, max: 3 });
    expect(result.estimates?.[0]?.estimate.summary).toMatch(/^projected: 3 sub-agents · 5k–\d+k tokens · <\$0\.01–\$0\.0\d$/);
    const estimate = lines.find((l) => l.type === "workflow_estimate");
    expect(estimate).toMatchObject({ type: "workflow_estimate", workflowId: "w1", estimate: { agents: { min: 3, max: 3 } } });
  });
});

describe("--budget without a terminal", () => {
  it("pauses when the budget is spent: the running sub-agent finishes, no new one starts, status paused, exit 4, the resume command", async () => {
    server = await startFakeServer((req) => text(`seen ${lastUserText(req)}`, { usage: { prompt: 50, completion: 10 } }));
    const file = await workflowFile(fanOut(3));
    const run = await runCli(["exec", file, "-m", "openai/t", "-c", "1", "--budget", "20-tokens", "--json"], { env: envFor(server) });
    expect(run.exitCode).toBe(4);
    expect(server.requests).toHaveLength(1);
    const result = RunResultSchema.parse(JSON.parse(run.stdout));
    expect(result.status).toBe("paused");
    expect(result.spent).toEqual({ usd: 0, tokens: 60 });
    expect(result.resume).toBe(`agentwf exec ${file} --resume ${result.runId} --budget <more>`);
    expect(run.stderr).toContain(
      `agentwf: paused: the run's budget of 20 tokens (--budget) is spent (60 tokens used)\nagentwf: 1 sub-agent finished and is kept; resume with: agentwf exec ${file} --resume ${result.runId} --budget <more>`,
    );
  });
});

describe("a server's usage limit without a terminal", () => {
  it("pauses instead of failing: status paused, exit 4, the reason and the resume command", async () => {
    // An empty balance: a 429 that waiting does not fix, so no retry is spent on it.
    server = await startFakeServer(() => errorReply(429, "You exceeded your current quota, please check your plan and billing details"));
    const file = await workflowFile(fanOut(2));
    const run = await runCli(["exec", file, "-m", "openai/t", "-c", "1", "--json"], { env: envFor(server) });
    expect(run.exitCode).toBe(4);
    const result = RunResultSchema.parse(JSON.parse(run.stdout));
    expect(result.status).toBe("paused");
    expect(result.error).toBe("the model server's usage limit was reached: HTTP 429: You exceeded your current quota, please check your plan and billing details");
    expect(result.resume).toBe(`agentwf exec ${file} --resume ${result.runId}`);
    // The second item never reached the server: the run paused before it started.
    expect(server.requests).toHaveLength(1);
  });
});

describe("--confirm-over with the offline demo", () => {
  // A monorepo of 30 packages: the demo's audit starts a sub-agent per package, past the default 25.
  async function monorepo(): Promise<string> {
    const ws = await mkdtemp(path.join(os.tmpdir(), "agentwf-control-mono-"));
    const names = Array.from({ length: 30 }, (_, i) => `p${String(i).padStart(2, "0")}`);
    await writeFile(path.join(ws, "package.json"), JSON.stringify({ name: "mono", private: true, workspaces: ["packages/*"] }));
    for (const name of names) {
      const dirOf = path.join(ws, "packages", name);
      await mkdir(path.join(dirOf, "src"), { recursive: true });
      await writeFile(path.join(dirOf, "package.json"), JSON.stringify({ name, version: "1.0.0" }));
      await writeFile(path.join(dirOf, "src", "index.js"), `export const ${name} = 1;\n`);
    }
    return ws;
  }

  it("run --model demo --yes audits a 30-package monorepo: the demo spends nothing, so no gate stops it", async () => {
    const ws = await monorepo();
    const run = await runCli(["run", "--model", "demo", "--yes", "audit test coverage", "--cwd", ws], { env: { AGENTWF_HOME: home }, timeoutMs: 120_000 });
    expect(run.stderr).not.toContain("was not run");
    expect(run.exitCode).toBe(0);
    // The root package and its 30 workspace packages, one row each.
    expect(run.stdout).toContain("31 packages, 30 source files, 0 with a test, **30 without**");
  });

  it("exec of a person's file with --model demo keeps the gate: the file could name paid models", async () => {
    const file = await workflowFile(fanOut(26));
    const run = await runCli(["exec", file, "-m", "demo"], { env: { AGENTWF_HOME: home } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr.trim().split("\n").at(-1)).toBe("agentwf: workflow w1 was not run: it may start 26 sub-agents, over 25 (--confirm-over 25,$1); pass --yes-over to run it anyway, or raise --confirm-over");
  });
});
