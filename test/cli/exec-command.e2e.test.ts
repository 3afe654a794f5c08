// End-to-end: `agentwf exec` and `agentwf check` on workflow files, against the fake server.
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { errorReply, lastUserText, startFakeServer, text, type FakeServer } from "../helpers/fake-openai-server.js";
import { runCli, tempHome } from "../helpers/run-cli.js";

let server: FakeServer | undefined;
let home: string;
let dir: string;

beforeEach(async () => {
  home = await tempHome();
  dir = await mkdtemp(path.join(os.tmpdir(), "agentwf-exec-"));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function workflowFile(code: string, name = "wf.js"): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, code);
  return file;
}

const envFor = (s: FakeServer, extra: Record<string, string> = {}) => ({
  AGENTWF_HOME: home,
  AGENTWF_BASE_URL: s.baseUrl,
  AGENTWF_API_KEY: "k",
  ...extra,
});

describe("agentwf exec", () => {
  it("runs a workflow file with --input and prints main's result", async () => {
    server = await startFakeServer((req) => text(`seen ${lastUserText(req)}`));
    const file = await workflowFile(`async function main(wf) {
  const out = await wf.mapAgents(wf.input.items, "check {item}");
  return out.join("\\n");
}`);
    const run = await runCli(["exec", file, "--input", '{"items":["a","b"]}', "-m", "openai/t"], { env: envFor(server) });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe("seen check a\nseen check b");
  });

  it("refuses a workflow that fails validation with file:line:col diagnostics and exit 2, calling no model", async () => {
    server = await startFakeServer(() => text("never"));
    const file = await workflowFile("async function main(wf) {\n  return wf.runAgnet('x');\n}\n");
    const run = await runCli(["exec", file, "-m", "openai/t"], { env: envFor(server) });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`${file}:2:13 error: type: Property 'runAgnet' does not exist on type 'Wf'. Did you mean 'runAgent'?`);
    expect(server.requests).toHaveLength(0);
  });

  it("rejects --input that is not JSON with one line and exit 2", async () => {
    const file = await workflowFile("async function main(wf) { return 1; }\n");
    const run = await runCli(["exec", file, "--input", "{nope", "-m", "demo"], { env: { AGENTWF_HOME: home } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr.trim()).toMatch(/^agentwf: --input is not valid JSON/);
  });

  it("finishes a fan-out over 200 items against a server that rate-limits past 4 requests in flight", async () => {
    let inFlight = 0;
    let refused = 0;
    server = await startFakeServer(async (req) => {
      if (inFlight >= 4) {
        refused += 1;
        return errorReply(429, "Rate limit reached for requests", { "retry-after": "0" });
      }
      inFlight += 1;
      try {
        // A real server takes a while to answer, so refused requests come back far sooner than
        // accepted ones: without adaptive concurrency, retries burn out while the slots are busy.
        await new Promise((resolve) => setTimeout(resolve, 20));
        return text(`ok ${lastUserText(req)}`);
      } finally {
        inFlight -= 1;
      }
    });
    const items = Array.from({ length: 200 }, (_, i) => i);
    const file = await workflowFile(`async function main(wf) {
  const out = await wf.mapAgents(wf.input, "item {item}");
  return out.length + " " + out.filter((r) => r.startsWith("ok item")).length;
}`);
    const run = await runCli(["exec", file, "--input", JSON.stringify(items), "-c", "64", "--max-agents", "200", "--yes-over", "-m", "openai/t"], {
      env: envFor(server),
      timeoutMs: 120_000,
    });
    expect(run.stderr).not.toContain("failed ·");
    expect(run.stderr).not.toContain("MaxListenersExceededWarning");
    expect(run.exitCode, run.stderr.slice(-1500)).toBe(0);
    expect(run.stdout).toBe("200 200");
    expect(refused).toBeGreaterThan(0);
  });

  it("starts no new sub-agent once --budget is spent, and ends paused (exit 4) instead of running on", async () => {
    server = await startFakeServer(() => text("done", { usage: { prompt: 300, completion: 300 } }));
    const file = await workflowFile(`async function main(wf) {
  const out = await wf.mapAgents([1, 2, 3, 4, 5], "item {item}", { settle: true });
  return out.map((r) => (r.ok ? "ok" : r.error)).join("\\n");
}`);
    const run = await runCli(["exec", file, "-c", "1", "--budget", "1k-tokens", "-m", "openai/t"], { env: envFor(server) });
    expect(run.exitCode).toBe(4);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("agentwf: paused: the run's budget of 1,000 tokens (--budget) is spent (1,200 tokens used)\nagentwf: 2 sub-agents finished and are kept; resume with: agentwf exec ");
    expect(server.requests).toHaveLength(2);
  });

  it("refuses a budget in USD for a model whose price is unknown", async () => {
    const file = await workflowFile("async function main(wf) { return 1; }\n");
    const run = await runCli(["exec", file, "--budget", "2", "-m", "openai/some-new-model"], {
      env: { AGENTWF_HOME: home, AGENTWF_API_KEY: "k" },
    });
    expect(run.exitCode).toBe(2);
    expect(run.stderr.trim()).toBe(
      "agentwf: agentwf does not know the price of openai/some-new-model, so a budget in USD cannot be kept: give it in tokens, e.g. --budget 2M-tokens",
    );
  });
});

describe("agentwf exec: structured output", () => {
  const SCHEMA_WORKFLOW = `async function main(wf) {
  const r = await wf.runAgent("count the files", {
    schema: { type: "object", properties: { files: { type: "integer" } }, required: ["files"] },
  });
  return "files=" + r.files + " type=" + typeof r.files;
}`;

  it("parses a JSON answer in a code fence and returns the value to the workflow", async () => {
    server = await startFakeServer(() => text('Here you go:\n```json\n{"files": 12}\n```'));
    const file = await workflowFile(SCHEMA_WORKFLOW);
    const run = await runCli(["exec", file, "-m", "openai/t"], { env: envFor(server) });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe("files=12 type=number");
    expect(lastUserText(server.requests[0]!)).toContain("matches this JSON Schema");
  });

  it("repairs a mismatching answer with one json_schema call", async () => {
    server = await startFakeServer((req) => (req.body.response_format === undefined ? text('{"files": "twelve"}') : text('{"files": 12}')));
    const file = await workflowFile(SCHEMA_WORKFLOW);
    const run = await runCli(["exec", file, "-m", "openai/t"], { env: envFor(server) });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe("files=12 type=number");
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.body.response_format).toMatchObject({ type: "json_schema", json_schema: { name: "answer" } });
    expect(lastUserText(server.requests[1]!)).toContain("it does not match the schema: files: Invalid input: expected number, received string");
  });

  it("fails the sub-agent with a clear error when the repair does not match either", async () => {
    server = await startFakeServer(() => text("I could not count them."));
    const file = await workflowFile(SCHEMA_WORKFLOW.replace('return "files="', 'return "unreachable"; return "files="'));
    const run = await runCli(["exec", file, "-m", "openai/t"], { env: envFor(server) });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("the agent's answer is not the JSON its schema asks for, even after one repair: no JSON value found");
  });
});

describe("agentwf exec: limits from .agentwf/config.json", () => {
  it("a memory limit set in the project config stops a hungry workflow and names the config key", async () => {
    await writeFile(path.join(dir, "hungry.js"), "async function main(wf) {\n  const a = [];\n  for (;;) a.push(\"x\".repeat(1000) + a.length);\n}\n");
    const { mkdir } = await import("node:fs/promises");
    await mkdir(path.join(dir, ".agentwf"));
    await writeFile(path.join(dir, ".agentwf", "config.json"), JSON.stringify({ limits: { memoryMb: 16 } }));
    const run = await runCli(["exec", "hungry.js", "-m", "demo"], { cwd: dir, env: { AGENTWF_HOME: home } });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("the workflow used more than its 16 MiB of memory and was stopped");
    expect(run.stderr).toContain("raise limits.memoryMb in your config file (~/.config/agentwf/config.json)");
  });

  it("a broken config file is one line naming the file and key, exit 2", async () => {
    const { mkdir } = await import("node:fs/promises");
    await mkdir(path.join(dir, ".agentwf"));
    await writeFile(path.join(dir, ".agentwf", "config.json"), JSON.stringify({ concurency: 4 }));
    await writeFile(path.join(dir, "ok.js"), "async function main(wf) { return 1; }\n");
    const run = await runCli(["exec", "ok.js", "-m", "demo"], { cwd: dir, env: { AGENTWF_HOME: home } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr.trim()).toBe(`agentwf: ${path.join(dir, ".agentwf", "config.json")}: (top level): unknown key "concurency"; see README.md, "Configuration"`);
  });
});

describe("agentwf check", () => {
  it("reports a misspelled wf method with line:column and exits 1", async () => {
    const file = await workflowFile("async function main(wf) {\n  const r = await wf.mapAgent([1], 'x');\n  return r;\n}\n");
    const run = await runCli(["check", file], { env: { AGENTWF_HOME: home } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(`${file}:2:22 error: type: Property 'mapAgent' does not exist on type 'Wf'. Did you mean 'mapAgents'?`);
  });

  it("accepts a valid workflow with exit 0", async () => {
    const file = await workflowFile("async function main(wf) {\n  return wf.reduceAgent(await wf.mapAgents(['a'], '{item}'), 'merge');\n}\n");
    const run = await runCli(["check", file], { env: { AGENTWF_HOME: home } });
    expect(run.exitCode).toBe(0);
    expect(run.stdout.trim()).toBe(`${file}: ok`);
  });

  it("a missing file is one line and exit 2", async () => {
    const run = await runCli(["check", path.join(dir, "nope.js")], { env: { AGENTWF_HOME: home } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr.trim()).toBe(`agentwf: ${path.join(dir, "nope.js")}: no such file`);
  });
});
