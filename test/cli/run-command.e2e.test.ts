// End-to-end: the built CLI, spawned as a user runs it, against the fake OpenAI-compatible server.
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  errorReply,
  lastUserText,
  startFakeServer,
  text,
  toolCalls,
  toolResults,
  type FakeServer,
  type Handler,
  type RecordedRequest,
} from "../helpers/fake-openai-server.js";
import { REPO_ROOT, runCli, tempHome } from "../helpers/run-cli.js";

let server: FakeServer | undefined;
let home: string;

beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const isParent = (req: RecordedRequest) => (req.body.tools ?? []).some((t) => t.function.name === "workflow");
const parentTurns = (s: FakeServer) => s.requests.filter(isParent);

function envFor(s: FakeServer, extra: Record<string, string> = {}): Record<string, string> {
  return { AGENTWF_HOME: home, AGENTWF_BASE_URL: s.baseUrl, AGENTWF_API_KEY: "test-key", ...extra };
}

const MAP_REDUCE = `async function main(wf) {
  const areas = ["alpha", "beta", "gamma", "delta"];
  const found = await wf.mapAgents(areas, "Inspect area {item}", { description: (a) => "inspect " + a });
  return wf.reduceAgent(found, "Merge the findings into a table");
}`;

/** Holds each sub-agent request until `width` are in flight (or a generous deadline passes). */
function barrier(width: number) {
  let inFlight = 0;
  let peak = 0;
  let waiters: Array<() => void> = [];
  return {
    peak: () => peak,
    async enter(): Promise<void> {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      if (inFlight >= width) {
        for (const wake of waiters) wake();
        waiters = [];
        return;
      }
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 5000);
      });
    },
    leave() {
      inFlight -= 1;
    },
  };
}

describe("agentwf run against an OpenAI-compatible server", () => {
  it("runs a map/reduce workflow with sub-agents in parallel within -c and prints the merged report to stdout and -o", async () => {
    const gate = barrier(2);
    const handler: Handler = async (req) => {
      if (isParent(req)) {
        const results = toolResults(req);
        if (results.length === 0) return toolCalls({ name: "workflow", arguments: { name: "audit", code: MAP_REDUCE } });
        return text(`# Report\n\n${results[0]}\n`);
      }
      const prompt = lastUserText(req);
      if (prompt.includes("<inputs>")) return text("| area | finding |\n| alpha | A | beta | B | gamma | C | delta | D |");
      await gate.enter();
      try {
        return text(`finding for ${/Inspect area (\w+)/.exec(prompt)?.[1] ?? "?"}`);
      } finally {
        gate.leave();
      }
    };
    server = await startFakeServer(handler);
    const outFile = path.join(home, "report.md");
    const run = await runCli(["run", "--yes", "-c", "2", "-m", "openai/test-model", "-o", outFile, "audit the areas"], { env: envFor(server) });

    expect(run.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("# Report");
    expect(run.stdout).toContain("| alpha | A |");
    // execa drops the final newline of stdout.
    expect(await readFile(outFile, "utf8")).toBe(`${run.stdout}\n`);
    expect(gate.peak()).toBe(2);
    const reducer = server.requests.find((r) => lastUserText(r).includes("<inputs>"));
    for (const area of ["alpha", "beta", "gamma", "delta"]) expect(lastUserText(reducer!)).toContain(`finding for ${area}`);
    expect(server.requests.every((r) => r.body.model === "test-model")).toBe(true);
  });

  it("returns a syntax error to the parent with line and column, and runs the fixed workflow", async () => {
    const broken = "async function main(wf) {\n  return wf.runAgent(\"x\"\n}";
    const fixed = 'async function main(wf) {\n  return wf.runAgent("say ok");\n}';
    server = await startFakeServer((req) => {
      if (!isParent(req)) return text("ok from sub-agent");
      const results = toolResults(req);
      if (results.length === 0) return toolCalls({ name: "workflow", arguments: { name: "try", code: broken } });
      if (results.length === 1) return toolCalls({ name: "workflow", arguments: { name: "try", code: fixed } });
      return text(`final: ${results[1]}`);
    });
    const run = await runCli(["run", "--yes", "-m", "openai/test-model", "do it"], { env: envFor(server) });
    expect(run.exitCode).toBe(0);
    expect(run.stdout.trim()).toBe("final: ok from sub-agent");
    const feedback = toolResults(parentTurns(server)[1]!)[0] ?? "";
    expect(feedback).toMatch(/^Error: the workflow was not run/);
    expect(feedback).toMatch(/3:1 error: syntax error: Unexpected token/);
  });

  it("rides out a 429 with Retry-After and a 500 and still produces the report", async () => {
    let parentCalls = 0;
    server = await startFakeServer((req) => {
      if (isParent(req)) {
        parentCalls += 1;
        if (parentCalls === 1) return errorReply(429, "Rate limit reached", { "retry-after": "1" });
        if (parentCalls === 2) return errorReply(500, "The server had an error");
        return text("# Done after retries");
      }
      return text("unused");
    });
    const run = await runCli(["run", "--yes", "-m", "openai/test-model", "anything"], { env: envFor(server) });
    expect(run.exitCode).toBe(0);
    expect(run.stdout.trim()).toBe("# Done after retries");
    expect(server.requests).toHaveLength(3);
    expect(run.stderr).toContain("HTTP 429");
    expect(run.stderr).toContain("HTTP 500");
  });

  it("without a terminal and without --yes exits 2 before any model call", async () => {
    server = await startFakeServer(() => toolCalls({ name: "workflow", arguments: { name: "x", code: MAP_REDUCE } }));
    const run = await runCli(["run", "-m", "openai/test-model", "audit"], { env: envFor(server) });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/pass --yes/);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(server.requests).toHaveLength(0);
    expect(run.stdout).toBe("");
  });

  it("stops at --dry-run and prints the workflow code instead of running it", async () => {
    server = await startFakeServer((req) =>
      isParent(req) ? toolCalls({ name: "workflow", arguments: { name: "audit", code: MAP_REDUCE } }) : text("must not run"),
    );
    const run = await runCli(["run", "--dry-run", "-m", "openai/test-model", "audit"], { env: envFor(server) });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(MAP_REDUCE);
    expect(server.requests.filter((r) => !isParent(r))).toHaveLength(0);
  });

  it("gives a runtime error of the workflow back to the parent as the tool result", async () => {
    server = await startFakeServer((req) => {
      if (!isParent(req)) return text("not json");
      const results = toolResults(req);
      if (results.length === 0) {
        return toolCalls({ name: "workflow", arguments: { name: "bad", code: 'async function main(wf) { const r = await wf.runAgent("x"); return JSON.parse(r); }' } });
      }
      return text(`saw: ${results[0]}`);
    });
    const run = await runCli(["run", "--yes", "-m", "openai/test-model", "x"], { env: envFor(server) });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("saw: Error: the workflow failed (error): SyntaxError: Unexpected token");
  });

  it("writes events, the workflow code, the journal and the report to the run folder", async () => {
    server = await startFakeServer((req) => {
      if (!isParent(req)) return text("sub result");
      return toolResults(req).length === 0
        ? toolCalls({ name: "workflow", arguments: { name: "one", code: 'async function main(wf) { return wf.runAgent("go"); }' } })
        : text("# final");
    });
    const run = await runCli(["run", "--yes", "-m", "openai/test-model", "x"], { env: envFor(server) });
    expect(run.exitCode).toBe(0);
    const [runId] = await readdir(path.join(home, "runs"));
    const dir = path.join(home, "runs", runId!);
    const events = (await readFile(path.join(dir, "events.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { type: string });
    expect(events[0]?.type).toBe("run_start");
    expect(events.at(-1)?.type).toBe("run_end");
    expect(await readFile(path.join(dir, "report.md"), "utf8")).toBe("# final");
    expect(await readdir(path.join(dir, "workflows"))).toEqual(["w1-one.js"]);
    const journal = (await readFile(path.join(dir, "journal.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { kind: string; result?: { value: string } });
    // The parent's two answers, the approval of its workflow, and the sub-agent's result.
    expect(journal.map((e) => e.kind)).toEqual(["model_turn", "approval", "agent", "model_turn"]);
    expect(journal.find((e) => e.kind === "agent")?.result?.value).toBe("sub result");
  });

  it("prints one result object with --json and nothing else on stdout", async () => {
    server = await startFakeServer(() => text("# plain answer"));
    const run = await runCli(["run", "--yes", "--json", "-m", "openai/test-model", "x"], { env: envFor(server) });
    expect(run.exitCode).toBe(0);
    const result = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(result).toMatchObject({ type: "result", status: "done", report: "# plain answer", agents: 0 });
  });

  it("streams every event as a JSON line with --output-format stream-json, ending in the result", async () => {
    server = await startFakeServer(() => text("# streamed"));
    const run = await runCli(["run", "--yes", "--output-format", "stream-json", "-m", "openai/test-model", "x"], { env: envFor(server) });
    const lines = run.stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string });
    expect(lines[0]?.type).toBe("run_start");
    expect(lines.some((l) => l.type === "agent_text")).toBe(true);
    expect(lines.at(-1)).toMatchObject({ type: "result", status: "done", report: "# streamed" });
  });
});

describe("agentwf run: a person's mistakes get one line and the right exit code", () => {
  it("a missing API key is one line on stderr and exit 2", async () => {
    const run = await runCli(["run", "--yes", "-m", "openai/gpt-4o-mini", "x"], { env: { AGENTWF_HOME: home } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr.trim()).toBe("agentwf: no API key for OpenAI: set OPENAI_API_KEY (or AGENTWF_API_KEY), or run offline with -m demo");
  });

  it("an unknown provider is one line on stderr and exit 2", async () => {
    const run = await runCli(["run", "--yes", "-m", "nosuch/model", "x"], { env: { AGENTWF_HOME: home } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain('unknown provider "nosuch"');
  });

  it("an unreachable server is one line after the retries and exit 1, with no stack trace", async () => {
    const closed = await startFakeServer(() => text("never"));
    const baseUrl = closed.baseUrl;
    await closed.close();
    const run = await runCli(["run", "--yes", "-m", "openai/test-model", "x"], {
      env: { AGENTWF_HOME: home, AGENTWF_BASE_URL: baseUrl, AGENTWF_API_KEY: "k", AGENTWF_MAX_RETRIES: "1" },
    });
    expect(run.exitCode).toBe(1);
    const [failure, resume] = run.stderr.trim().split("\n").slice(-2);
    expect(failure).toMatch(/^agentwf: the run failed: could not reach the server.*\(after 2 attempts\).*check that it is running/);
    expect(resume).toMatch(/^agentwf: resume with: agentwf run --resume \d{8}-\d{6}-\w{4}$/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("a rejected API key (401) is one line and exit 2", async () => {
    server = await startFakeServer(() => errorReply(401, "Incorrect API key provided"));
    const run = await runCli(["run", "--yes", "-m", "openai/test-model", "x"], { env: envFor(server) });
    expect(run.exitCode).toBe(2);
    expect(run.stderr.trim().split("\n").at(-1)).toMatch(/^agentwf: the run failed: HTTP 401: Incorrect API key provided; check the API key/);
    expect(server.requests).toHaveLength(1);
  });

  it("a bad flag value is one line and exit 2", async () => {
    const run = await runCli(["run", "--yes", "-m", "demo", "-c", "0", "x"], { env: { AGENTWF_HOME: home } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr.trim()).toBe('agentwf: --concurrency takes a whole number from 1 to 64, not "0"');
  });

  it("an unknown flag exits 2", async () => {
    const run = await runCli(["run", "--frobnicate", "x"], { env: { AGENTWF_HOME: home } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("unknown option '--frobnicate'");
  });

  it("a reader that closes the pipe early ends the run quietly", async () => {
    const { execa } = await import("execa");
    const result = await execa("sh", ["-c", `node --no-node-snapshot bin/agentwf.js run --yes -m demo --cwd test/fixtures/demo-repo "audit" | head -1`], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: home, AGENTWF_HOME: home, NO_COLOR: "1" },
      extendEnv: false,
      reject: false,
    });
    expect(result.stdout).toBe("# Test coverage audit");
    expect(result.stderr).not.toMatch(/EPIPE|\n\s+at /);
  });
});

describe("agentwf run --model demo", () => {
  it("audits a fixture repository offline: the folder scanned, a row per package, every untested file, the rule", async () => {
    const fixture = path.join(REPO_ROOT, "test", "fixtures", "demo-repo");
    const run = await runCli(["run", "--model", "demo", "--yes", "audit test coverage"], { cwd: fixture, env: { AGENTWF_HOME: home } });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("demo model");
    expect(run.stdout).toContain(`**Scanned:** \`${fixture}\`: 1 package, 4 source files, 1 with a test, **3 without**.`);
    expect(run.stdout).toContain("| Package | Folder | Kind | Source files | Tested | Untested | Untested files |");
    expect(run.stdout).toContain("| `demo-repo` | `.` | folder | 4 | 1 | 3 | `lib/helpers.js`, `src/api/orders.ts`, `src/db/pool.ts` |");
    expect(run.stdout).toContain("## The rule");
  });

  it("gives a workspace monorepo one row per package and counts imports across packages", async () => {
    const fixture = path.join(REPO_ROOT, "test", "fixtures", "demo-monorepo");
    const run = await runCli(["run", "--model", "demo", "--yes", "audit test coverage"], { cwd: fixture, env: { AGENTWF_HOME: home } });
    expect(run.exitCode).toBe(0);
    const rows = run.stdout.split("\n").filter((line) => line.startsWith("| `"));
    expect(rows).toEqual([
      "| `mono` | `.` | npm | 1 | 0 | 1 | `scripts/release.ts` |",
      "| `@mono/app` | `packages/app` | npm | 2 | 1 | 1 | `packages/app/src/extra.ts` |",
      "| `@mono/utils` | `packages/utils` | npm | 3 | 2 | 1 | `packages/utils/src/unused.ts` |",
    ]);
    expect(run.stdout).toContain("Packages of tests only, whose imports were counted: `@mono/e2e` in `test/e2e` (1 test file).");
  });
});

describe("agentwf runs", () => {
  it("lists earlier runs and shows one with its report", async () => {
    const fixture = path.join(REPO_ROOT, "test", "fixtures", "demo-repo");
    const first = await runCli(["run", "--model", "demo", "--yes", "audit test coverage"], { cwd: fixture, env: { AGENTWF_HOME: home } });
    expect(first.exitCode).toBe(0);
    const list = await runCli(["runs"], { env: { AGENTWF_HOME: home } });
    expect(list.exitCode).toBe(0);
    const [line] = list.stdout.split("\n");
    expect(line).toMatch(/^\d{8}-\d{6}-[0-9a-f]{4} .* done +1 agents +audit test coverage$/);
    const id = line!.split(" ")[0]!;
    const show = await runCli(["runs", "show", id], { env: { AGENTWF_HOME: home } });
    expect(show.exitCode).toBe(0);
    expect(show.stdout).toContain("status:   done");
    expect(show.stdout).toContain("workflows: w1-demo-coverage-audit.js");
    expect(show.stdout).toContain("| Package | Folder | Kind | Source files |");
  });

  it("an unknown run id is one line and exit 2", async () => {
    const run = await runCli(["runs", "show", "nope"], { env: { AGENTWF_HOME: home } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr.trim()).toBe(`agentwf: no run "nope" under ${home}; see agentwf runs`);
  });
});
