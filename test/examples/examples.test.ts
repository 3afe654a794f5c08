// The example workflows in examples/ are programs people copy and run, so each one is held to what
// a user would do with it: `agentwf check` passes it clean, its agent types load, and `agentwf exec`
// runs it end to end against the fake OpenAI-compatible server, in a workspace with the example
// agent types installed, with sub-agents that answer plausibly (JSON that matches the schema the
// workflow asked for). Each run is checked for what every sub-agent contributed reaching the
// report, through the reducer where there is one.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { copyFile, cp, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseAgentFile, type AgentType } from "../../src/agent/agent-types.js";
import {
  lastUserText,
  startFakeServer,
  systemText,
  text,
  toolCalls,
  toolResults,
  type FakeServer,
  type Handler,
  type RecordedRequest,
  type Reply,
} from "../helpers/fake-openai-server.js";
import { REPO_ROOT, runCli, tempHome, type CliRun } from "../helpers/run-cli.js";
import { hashTree } from "../tools/shell/sandbox-harness.js";

const EXAMPLES_DIR = path.join(REPO_ROOT, "examples");
const EXAMPLE_AGENTS_DIR = path.join(EXAMPLES_DIR, "agents");
const WORKFLOWS = readdirSync(EXAMPLES_DIR).filter((n) => n.endsWith(".js")).sort();
const CLAUDE_WORKFLOWS = readdirSync(path.join(EXAMPLES_DIR, "claude")).filter((n) => n.endsWith(".js")).sort();
const AGENT_FILES = readdirSync(EXAMPLE_AGENTS_DIR).filter((n) => n.endsWith(".md")).sort();
const READ_ONLY_TOOLS = ["read_file", "list_dir", "glob", "grep"];
// bubblewrap that can start a namespace: without it a run offers no bash, and nothing is measured.
const BWRAP_STARTS = spawnSync("bwrap", ["--unshare-all", "--ro-bind", "/", "/", "true"]).status === 0;

function loadAgent(file: string): AgentType {
  return parseAgentFile(readFileSync(file, "utf8"), file, "agentwf");
}

const BUILTIN_AGENTS = ["general-purpose"].map((name) => loadAgent(path.join(REPO_ROOT, "prompts", "agents", `${name}.md`)));

describe("examples/*.js", () => {
  it("includes the five documented workflows", () => {
    for (const name of ["coverage-audit.js", "docs-review.js", "implementation-strategies.js", "security-sweep.js", "triage-pipeline.js"]) {
      expect(WORKFLOWS).toContain(name);
    }
  });

  it.each(WORKFLOWS)("%s passes `agentwf check` with no findings at all", async (name) => {
    const run = await runCli(["check", path.join("examples", name)]);
    expect(run.stderr).toBe("");
    expect(run.stdout.trim()).toBe(`examples/${name}: ok`);
    expect(run.exitCode).toBe(0);
  });

  it.each(WORKFLOWS)("%s has a header comment that says how to run it", (name) => {
    const code = readFileSync(path.join(EXAMPLES_DIR, name), "utf8");
    expect(code.startsWith(`// ${name}: `)).toBe(true);
    expect(code).toContain(`agentwf exec examples/${name}`);
  });

  it.each(WORKFLOWS)("%s uses only agent types that exist", (name) => {
    const code = readFileSync(path.join(EXAMPLES_DIR, name), "utf8");
    const known = new Set([...BUILTIN_AGENTS.map((a) => a.name), ...AGENT_FILES.map((f) => f.replace(/\.md$/, ""))]);
    const used = [...code.matchAll(/\bagent:\s*"([^"]+)"/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(0);
    for (const agent of used) expect(known, `${name} uses agent "${agent}"`).toContain(agent);
  });
});

describe("examples/claude/*.js (Claude Code format)", () => {
  it.each(CLAUDE_WORKFLOWS)("%s passes `agentwf check` with no findings at all", async (name) => {
    const run = await runCli(["check", path.join("examples", "claude", name)]);
    expect(run.stderr).toBe("");
    expect(run.stdout.trim()).toBe(`examples/claude/${name}: ok`);
    expect(run.exitCode).toBe(0);
  });

  it.each(CLAUDE_WORKFLOWS)("%s begins, after its header comment, with export const meta naming it", (name) => {
    const code = readFileSync(path.join(EXAMPLES_DIR, "claude", name), "utf8");
    expect(code.startsWith(`// ${name}`)).toBe(true);
    expect(code).toMatch(new RegExp(`\\nexport const meta = \\{\\n  name: ["']${name.replace(/\.js$/, "")}["'],`));
  });
});

describe("examples/agents/*.md", () => {
  it.each(AGENT_FILES)("%s parses as an agent type that changes no file", (file) => {
    const agent = loadAgent(path.join(EXAMPLE_AGENTS_DIR, file));
    expect(agent.name).toBe(file.replace(/\.md$/, ""));
    expect(agent.description.length).toBeGreaterThan(20);
    expect(agent.tools).toBeDefined();
    expect(agent.tools!.length).toBeGreaterThan(0);
    // bash only with `sandbox: read-only`, whose commands see a throw-away copy of the workspace.
    const allowed = agent.sandbox === "read-only" ? [...READ_ONLY_TOOLS, "bash"] : READ_ONLY_TOOLS;
    for (const tool of agent.tools!) expect(allowed).toContain(tool);
    expect(agent.model).toBeUndefined();
    expect(agent.systemPrompt.length).toBeGreaterThan(200);
  });
});

// ---------------------------------------------------------------------------------------------
// End to end: `agentwf exec` against the fake server.

const EXAMPLE_AGENTS = AGENT_FILES.map((f) => loadAgent(path.join(EXAMPLE_AGENTS_DIR, f)));
const ALL_AGENTS = [...EXAMPLE_AGENTS, ...BUILTIN_AGENTS];

let server: FakeServer | undefined;
let home: string;

beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A workspace with the example agent types installed in .agentwf/agents/, and these files. */
async function workspace(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "agentwf-examples-"));
  await mkdir(path.join(dir, ".agentwf", "agents"), { recursive: true });
  for (const file of AGENT_FILES) await copyFile(path.join(EXAMPLE_AGENTS_DIR, file), path.join(dir, ".agentwf", "agents", file));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

/**
 * Runs an example with `agentwf exec` against the fake server, in `cwd`. When the example also
 * exists in Claude Code's format (examples/claude/), that version runs too, against the same
 * answers: it must print exactly the same report and exit the same way, and ask the sub-agents the
 * same questions. Its requests are then taken off the server's record, so each case checks the
 * main(wf) run's requests as before.
 */
async function execExample(name: string, s: FakeServer, cwd: string, input?: unknown): Promise<CliRun> {
  const run = (file: string) => {
    const args = ["exec", file, "-m", "openai/test-model", "--cwd", cwd];
    if (input !== undefined) args.push("--input", JSON.stringify(input));
    // No retries: a handler that cannot answer fails the run at once instead of backing off.
    const env = { AGENTWF_HOME: home, AGENTWF_BASE_URL: s.baseUrl, AGENTWF_API_KEY: "x", AGENTWF_MAX_RETRIES: "0" };
    return runCli(args, { env, timeoutMs: 90_000 });
  };
  const main = await run(path.join(EXAMPLES_DIR, name));
  if (CLAUDE_WORKFLOWS.includes(name)) {
    const before = s.requests.length;
    const claude = await run(path.join(EXAMPLES_DIR, "claude", name));
    expect({ exitCode: claude.exitCode, stdout: claude.stdout }, `examples/claude/${name}: ${claude.stderr}`).toEqual({ exitCode: main.exitCode, stdout: main.stdout });
    const questions = (list: RecordedRequest[]) => list.map((r) => `${agentOf(r)}: ${taskOf(r)}`).sort();
    expect(questions(s.requests.slice(before))).toEqual(questions(s.requests.slice(0, before)));
    s.requests.splice(before);
  }
  return main;
}

/**
 * The agent type a request is for, recognized by its system prompt; "(other)" for a request that
 * is no agent type's turn (agentwf's one repair call for an answer that missed its schema).
 */
function agentOf(req: RecordedRequest): string {
  const system = systemText(req);
  return ALL_AGENTS.find((a) => system.startsWith(a.systemPrompt.trim()))?.name ?? "(other)";
}

/** The sub-agent's task: its first user message (later ones, if any, are follow-ups). */
function taskOf(req: RecordedRequest): string {
  const first = req.body.messages.find((m) => m.role === "user");
  const content = first?.content;
  return typeof content === "string" ? content : lastUserText(req);
}

/** Which of `items` the task is about: the one it names in backticks. */
function itemIn(task: string, items: readonly string[]): string {
  const found = items.filter((item) => task.includes(`\`${item}\``));
  if (found.length !== 1) throw new Error(`expected the task to name exactly one of ${items.join(", ")}: ${task.slice(0, 200)}`);
  return found[0]!;
}

type Schema = {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: Schema;
  minimum?: number;
  maximum?: number;
};

/** The JSON Schema the request asks the answer to match, or undefined. */
function requestedSchema(req: RecordedRequest): Schema | undefined {
  const format = req.body.response_format as { json_schema?: { schema?: Schema } } | undefined;
  if (format?.json_schema?.schema !== undefined) return format.json_schema.schema;
  const match = /JSON Schema:\s*(\{[\s\S]*\})\s*$/.exec(taskOf(req));
  return match ? (JSON.parse(match[1]!) as Schema) : undefined;
}

/** Where `value` breaks `schema` (the subset of JSON Schema the examples use). */
function schemaErrors(value: unknown, schema: Schema, at = "$"): string[] {
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  const isType = (t: string) =>
    t === "integer" ? Number.isInteger(value)
    : t === "array" ? Array.isArray(value)
    : t === "object" ? typeof value === "object" && value !== null && !Array.isArray(value)
    : t === "null" ? value === null
    : typeof value === t;
  if (types.length > 0 && !types.some(isType)) return [`${at}: expected ${types.join("|")}, got ${JSON.stringify(value)}`];
  const errors: string[] = [];
  if (schema.enum !== undefined && !schema.enum.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === "number" && schema.minimum !== undefined && value < schema.minimum) errors.push(`${at}: below ${schema.minimum}`);
  if (typeof value === "number" && schema.maximum !== undefined && value > schema.maximum) errors.push(`${at}: above ${schema.maximum}`);
  if (Array.isArray(value) && schema.items !== undefined) value.forEach((v, i) => errors.push(...schemaErrors(v, schema.items!, `${at}[${i}]`)));
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in record)) errors.push(`${at}: missing "${key}"`);
    for (const [key, v] of Object.entries(record)) {
      const sub = schema.properties?.[key];
      if (sub !== undefined) errors.push(...schemaErrors(v, sub, `${at}.${key}`));
      else if (schema.additionalProperties === false) errors.push(`${at}: unexpected "${key}"`);
    }
  }
  return errors;
}

/** A JSON answer, after checking that the request asked for JSON and the answer matches its schema. */
function json(req: RecordedRequest, value: unknown): Reply {
  const schema = requestedSchema(req);
  if (schema === undefined) throw new Error(`request ${req.index} (${agentOf(req)}) asked for no JSON`);
  const errors = schemaErrors(value, schema);
  if (errors.length > 0) throw new Error(`the canned answer breaks the workflow's schema: ${errors.join("; ")}`);
  return text(JSON.stringify(value));
}

/** What a reducer was given: the JSON between <inputs> and </inputs>. */
function reduceInputs(req: RecordedRequest): unknown {
  const match = /<inputs>\n([\s\S]*)\n<\/inputs>/.exec(taskOf(req));
  if (match === null) throw new Error("the reducer got no <inputs>");
  return JSON.parse(match[1]!);
}

/** The marker tokens (mark-…) in a text: the canned answers tag what each sub-agent contributed. */
function markers(textIn: string): string[] {
  return [...new Set(textIn.match(/\bmark-[a-z0-9#-]+/g) ?? [])].sort();
}

/** A reducer's answer that proves what it saw: a line listing every marker in its inputs. */
function reducerEcho(req: RecordedRequest, heading: string): Reply {
  return text(`${heading}\n\nSeen: ${markers(JSON.stringify(reduceInputs(req))).join(", ")}`);
}

/** The "Seen:" line of the reducer's echo, as printed in the report. */
function seenLine(stdout: string): string {
  const line = stdout.split("\n").find((l) => l.startsWith("Seen: "));
  if (line === undefined) throw new Error(`the report has no reducer echo:\n${stdout}`);
  return line;
}

/** Every sub-agent request, checked for tools that change no file (the run is read-only), with its agent type and task. */
function calls(s: FakeServer): Array<{ agent: string; task: string; req: RecordedRequest }> {
  return s.requests.map((req) => {
    for (const tool of req.body.tools ?? []) expect(["edit_file", "write_file"]).not.toContain(tool.function.name);
    return { agent: agentOf(req), task: taskOf(req), req };
  });
}

function expectDone(run: CliRun): void {
  expect(run.stderr).not.toMatch(/at .*\.js:\d+/);
  expect(run.exitCode, run.stderr).toBe(0);
}

// Each run spawns the CLI, which type-checks the workflow first: room for a loaded two-core machine.
describe("examples run end to end with `agentwf exec`", { timeout: 120_000 }, () => {
  it("coverage-audit.js audits each given area and the report carries every area's gaps", async () => {
    const areas = ["pkg/alpha", "pkg/beta"];
    const answers: Record<string, object> = {
      "pkg/alpha": {
        area: "pkg/alpha",
        sourceFiles: 4,
        testedFiles: 1,
        gaps: [
          { file: "pkg/alpha/util.ts", priority: "low", why: "mark-alpha-util string helpers", suggestedTest: "table test of pad()" },
          { file: "pkg/alpha/ledger.ts", priority: "high", why: "mark-alpha-ledger refund rounding is untested", suggestedTest: "refund of 0.1 + 0.2" },
        ],
        notes: "no integration tests",
      },
      "pkg/beta": { area: "pkg/beta", sourceFiles: 2, testedFiles: 2, gaps: [], notes: "mark-beta-notes fully covered" },
    };
    server = await startFakeServer((req) => {
      const agent = agentOf(req);
      if (agent === "coverage-auditor") return json(req, answers[itemIn(taskOf(req), areas)]);
      if (agent === "report-writer") return reducerEcho(req, "Coverage is uneven: start with the ledger.");
      throw new Error(`unexpected agent ${agent}`);
    });
    const cwd = await workspace({ "pkg/alpha/ledger.ts": "export const refund = (x: number) => x;\n" });
    const run = await execExample("coverage-audit.js", server, cwd, { areas: ["pkg/alpha/", "./pkg/beta"] });

    expectDone(run);
    const seen = calls(server);
    expect(seen.filter((c) => c.agent === "coverage-auditor").map((c) => itemIn(c.task, areas)).sort()).toEqual(areas);
    expect(seen.filter((c) => c.agent === "report-writer")).toHaveLength(1);
    expect(seenLine(run.stdout)).toBe("Seen: mark-alpha-ledger, mark-alpha-util, mark-beta-notes");
    expect(run.stdout).toContain("# Test coverage audit");
    expect(run.stdout).toContain("Coverage is uneven: start with the ledger.");
    expect(run.stdout).toContain("| `pkg/alpha` | 4 | 1 | 25% | `pkg/alpha/ledger.ts` |");
    expect(run.stdout).toContain("| `pkg/beta` | 2 | 2 | 100% | none |");
    expect(run.stdout).toContain("| **all** | 6 | 3 | 50% | |");
    // Gaps reach the reducer sorted, high priority first.
    const reduced = reduceInputs(seen.find((c) => c.agent === "report-writer")!.req) as Array<{ gaps: Array<{ file: string }> }>;
    expect(reduced[0]!.gaps.map((g) => g.file)).toEqual(["pkg/alpha/ledger.ts", "pkg/alpha/util.ts"]);
  });

  it("coverage-audit.js without input lets a sub-agent pick the areas", async () => {
    server = await startFakeServer((req) => {
      const agent = agentOf(req);
      if (agent === "general-purpose") return json(req, { areas: ["pkg/gamma/", "./pkg/gamma", "pkg/delta"] });
      if (agent === "coverage-auditor") {
        const area = itemIn(taskOf(req), ["pkg/gamma", "pkg/delta"]);
        return json(req, { area, sourceFiles: 3, testedFiles: 0, gaps: [], notes: `mark-${area.slice(4)}-untested` });
      }
      if (agent === "report-writer") return reducerEcho(req, "Nothing is tested.");
      throw new Error(`unexpected agent ${agent}`);
    });
    const run = await execExample("coverage-audit.js", server, await workspace());

    expectDone(run);
    expect(calls(server).map((c) => c.agent)).toEqual(["general-purpose", "coverage-auditor", "coverage-auditor", "report-writer"]);
    expect(seenLine(run.stdout)).toBe("Seen: mark-delta-untested, mark-gamma-untested");
    expect(run.stdout).toContain("| **all** | 6 | 0 | 0% | |");
  });

  it("coverage-audit.js stops with a clear message on a misspelt input key, before any sub-agent", async () => {
    server = await startFakeServer(() => text("unused"));
    const run = await execExample("coverage-audit.js", server, await workspace(), { area: ["src"] });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('unknown input key "area"; this workflow takes: areas, maxAreas, maxGaps, focus');
    expect(server.requests).toHaveLength(0);
  });

  it("docs-review.js reviews each directory and lists every issue, most severe first", async () => {
    const dirs = ["docs", "."];
    server = await startFakeServer((req) => {
      const agent = agentOf(req);
      if (agent === "docs-reviewer") {
        const dir = itemIn(taskOf(req), dirs);
        if (dir === "docs") {
          return json(req, {
            directory: "docs",
            filesReviewed: ["docs/guide.md"],
            issues: [
              { file: "docs/guide.md", line: 30, kind: "unclear", severity: "low", problem: "mark-docs-wording", suggestion: "say which file" },
              { file: "docs/guide.md", line: 12, kind: "incorrect", severity: "high", problem: "mark-docs-flag: documents --fast, the CLI has --quick", suggestion: "use --quick" },
            ],
            summary: "mostly accurate",
          });
        }
        return json(req, {
          directory: ".",
          filesReviewed: ["README.md"],
          issues: [{ file: "README.md", line: 0, kind: "missing", severity: "medium", problem: "mark-root-install: no install steps", suggestion: "add npm install" }],
          summary: "thin",
        });
      }
      if (agent === "report-writer") return reducerEcho(req, "The guide documents a flag that does not exist.");
      throw new Error(`unexpected agent ${agent}`);
    });
    const cwd = await workspace({ "docs/guide.md": "# Guide\n\nRun with --fast.\n", "README.md": "# Project\n" });
    const run = await execExample("docs-review.js", server, cwd, { dirs, audience: "new contributors" });

    expectDone(run);
    const seen = calls(server);
    expect(seen.filter((c) => c.agent === "docs-reviewer").map((c) => itemIn(c.task, dirs)).sort()).toEqual([".", "docs"]);
    for (const c of seen) if (c.agent === "docs-reviewer") expect(c.task).toContain("new contributors");
    expect(seenLine(run.stdout)).toBe("Seen: mark-docs-flag, mark-docs-wording, mark-root-install");
    expect(run.stdout).toContain("## All issues (3)");
    const high = run.stdout.indexOf("| high | `docs/guide.md:12` | incorrect |");
    const medium = run.stdout.indexOf("| medium | `README.md` | missing |");
    const low = run.stdout.indexOf("| low | `docs/guide.md:30` | unclear |");
    expect(high).toBeGreaterThan(0);
    expect(medium).toBeGreaterThan(high);
    expect(low).toBeGreaterThan(medium);
  });

  it("implementation-strategies.js drafts three plans, critiques each, and recommends the best", async () => {
    const strategyKey = (task: string) => (task.includes("smallest change") ? "minimal" : task.includes("cleanest design") ? "clean" : task.includes("most robust") ? "robust" : "?");
    const scores: Record<string, number> = { minimal: 6, clean: 9, robust: 4 };
    server = await startFakeServer((req) => {
      const agent = agentOf(req);
      const task = taskOf(req);
      if (agent === "implementation-planner") {
        const key = strategyKey(task);
        return json(req, {
          title: `mark-plan-${key}`,
          approach: `The ${key} way to add retries.`,
          steps: [`edit src/upload.ts (${key})`, "add a test"],
          files: ["src/upload.ts"],
          testing: "unit test with a failing fake server",
          risks: key === "robust" ? ["more code to maintain"] : [],
          effort: key === "robust" ? "L" : "S",
        });
      }
      if (agent === "critic") {
        const key = /"title": "mark-plan-(\w+)"/.exec(task)?.[1] ?? "?";
        return json(req, {
          score: scores[key],
          verdict: scores[key]! >= 6 ? "sound" : "flawed",
          strengths: [`mark-critique-${key} is focused`],
          blockers: key === "robust" ? ["mark-blocker-robust: rewrites the transport"] : [],
          concerns: [],
        });
      }
      if (agent === "report-writer") {
        const inputs = reduceInputs(req) as { candidates: Array<{ option: number; plan: { title: string }; critique: { score: number } }> };
        const best = [...inputs.candidates].sort((a, b) => b.critique.score - a.critique.score)[0]!;
        return text(`**Recommendation:** option ${best.option}, ${best.plan.title}\n\nSeen: ${markers(JSON.stringify(inputs)).join(", ")}`);
      }
      throw new Error(`unexpected agent ${agent}`);
    });
    const run = await execExample("implementation-strategies.js", server, await workspace({ "src/upload.ts": "export {}\n" }), {
      task: "add a --retry flag to the upload command",
    });

    expectDone(run);
    const seen = calls(server);
    expect(seen.map((c) => c.agent)).toEqual([
      "implementation-planner", "implementation-planner", "implementation-planner", "critic", "critic", "critic", "report-writer",
    ]);
    expect(seen.filter((c) => c.agent === "implementation-planner").map((c) => strategyKey(c.task)).sort()).toEqual(["clean", "minimal", "robust"]);
    for (const c of seen) if (c.agent !== "report-writer") expect(c.task).toContain("add a --retry flag to the upload command");
    // Each critic saw one plan, and every plan was critiqued.
    expect(seen.filter((c) => c.agent === "critic").map((c) => markers(c.task).filter((m) => m.startsWith("mark-plan-"))).flat().sort()).toEqual([
      "mark-plan-clean", "mark-plan-minimal", "mark-plan-robust",
    ]);
    expect(run.stdout).toContain("# Implementation strategies: add a --retry flag to the upload command");
    expect(run.stdout).toContain("**Recommendation:** option 2, mark-plan-clean");
    expect(seenLine(run.stdout)).toBe(
      "Seen: mark-blocker-robust, mark-critique-clean, mark-critique-minimal, mark-critique-robust, mark-plan-clean, mark-plan-minimal, mark-plan-robust",
    );
    expect(run.stdout).toContain("| 2 | mark-plan-clean | S | 9/10 | sound | 0 |");
    expect(run.stdout).toContain("| 3 | mark-plan-robust | L | 4/10 | flawed | 1 |");
    expect(run.stdout).toContain("## Option 3: mark-plan-robust");
    expect(run.stdout).toContain("- mark-blocker-robust: rewrites the transport");
  });

  it("implementation-strategies.js without a task says how to give one", async () => {
    server = await startFakeServer(() => text("unused"));
    const run = await execExample("implementation-strategies.js", server, await workspace());
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("say what to implement: --input");
    expect(server.requests).toHaveLength(0);
  });

  it("security-sweep.js reports the areas it reviewed and names the one whose review failed", async () => {
    const areas = ["pkg/alpha", "pkg/beta", "pkg/gamma"];
    server = await startFakeServer((req) => {
      const agent = agentOf(req);
      if (agent === "(other)") return text("Sorry, there is no review to restate.");
      if (agent === "report-writer") {
        const inputs = reduceInputs(req) as { notReviewed: Array<{ area: string }> };
        return text(`Two areas reviewed. Not reviewed: ${inputs.notReviewed.map((m) => m.area).join(", ")}.\n\nSeen: ${markers(JSON.stringify(inputs)).join(", ")}`);
      }
      if (agent !== "security-reviewer") throw new Error(`unexpected agent ${agent}`);
      const area = itemIn(taskOf(req), areas);
      if (area === "pkg/alpha") {
        // A real look at the workspace first: the finding's evidence comes from the grep result.
        const results = toolResults(req);
        if (results.length === 0) return toolCalls({ name: "grep", arguments: { pattern: "sk_live_", path: "pkg/alpha" } });
        const hit = /^(\S+):(\d+):/m.exec(results[0]!);
        if (hit === null) throw new Error(`grep found nothing: ${results[0]}`);
        return json(req, {
          findings: [{
            category: "secrets",
            severity: "high",
            file: hit[1],
            line: Number(hit[2]),
            evidence: 'STRIPE_KEY = "sk_l…"',
            explanation: "mark-alpha-secret: a live payment key in the source",
            fix: "read it from the environment and rotate the key",
          }],
          checked: "config and handlers",
        });
      }
      if (area === "pkg/beta") {
        return json(req, {
          findings: [{
            category: "path traversal",
            severity: "critical",
            file: "pkg/beta/files.js",
            line: 2,
            evidence: "readFile(path.join(root, req.query.name))",
            explanation: "mark-beta-traversal: ../ in name reads any file",
            fix: "resolve the path and check it stays under root",
          }],
          checked: "file download handler",
        });
      }
      // pkg/gamma's reviewer gives up in prose, and cannot restate that as JSON when asked again.
      return text("I ran out of time and could not finish the review.");
    });
    const cwd = await workspace({
      "pkg/alpha/config.js": 'export const STRIPE_KEY = "sk_live_51Hxyz";\n',
      "pkg/beta/files.js": "export const download = (req) =>\n  readFile(path.join(root, req.query.name));\n",
      "pkg/gamma/index.js": "export {};\n",
    });
    const run = await execExample("security-sweep.js", server, cwd, { areas });

    expectDone(run);
    const seen = calls(server);
    expect(seen.filter((c) => c.agent === "security-reviewer").map((c) => itemIn(c.task, areas))).toEqual(
      expect.arrayContaining(["pkg/alpha", "pkg/beta", "pkg/gamma"]),
    );
    expect(toolResults(seen.find((c) => c.agent === "security-reviewer" && toolResults(c.req).length > 0)!.req)[0]).toContain("pkg/alpha/config.js:1:");
    expect(seenLine(run.stdout)).toBe("Seen: mark-alpha-secret, mark-beta-traversal");
    expect(run.stdout).toContain("Not reviewed: pkg/gamma.");
    expect(run.stdout).toContain("**Incomplete:** 1 of 3 areas could not be reviewed");
    expect(run.stdout).toMatch(/## Not reviewed\n\n- `pkg\/gamma`: .*JSON/);
    const critical = run.stdout.indexOf("| critical | `pkg/beta/files.js:2` | path traversal |");
    const high = run.stdout.indexOf("| high | `pkg/alpha/config.js:1` | secrets |");
    expect(critical).toBeGreaterThan(0);
    expect(high).toBeGreaterThan(critical);
  });

  it("triage-pipeline.js finds, classifies and fixes per area with no barrier between stages, then reduces", async () => {
    const areas = ["pkg/alpha", "pkg/beta"];
    // pkg/beta's search is held until a fix for pkg/alpha is requested: that can only happen when
    // pkg/alpha moves through its stages on its own. The fallback only keeps a regression from hanging.
    let openedByFix = false;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const fallback = setTimeout(open, 45_000);
    const verdicts: Record<string, { severity: string; confidence: string }> = {
      "mark-alpha-overflow": { severity: "high", confidence: "high" },
      "mark-alpha-naming": { severity: "low", confidence: "medium" },
      "mark-alpha-bogus": { severity: "not-a-bug", confidence: "high" },
      "mark-beta-race": { severity: "critical", confidence: "medium" },
    };
    const finding = (title: string, file: string, line: number) => ({ title, file, line, description: `${title} in ${file}`, trigger: "a long input" });
    const handler: Handler = async (req) => {
      const agent = agentOf(req);
      const task = taskOf(req);
      if (agent === "bug-hunter") {
        const area = itemIn(task, areas);
        if (area === "pkg/alpha") {
          return json(req, {
            findings: [finding("mark-alpha-overflow", "pkg/alpha/buf.c", 10), finding("mark-alpha-naming", "pkg/alpha/a.c", 3), finding("mark-alpha-bogus", "pkg/alpha/b.c", 7)],
          });
        }
        await gate;
        return json(req, { findings: [finding("mark-beta-race", "pkg/beta/queue.go", 42)] });
      }
      if (agent === "triager") {
        const given = JSON.parse(/<findings>\n([\s\S]*)\n<\/findings>/.exec(task)![1]!) as Array<{ id: string; title: string }>;
        return json(req, { verdicts: given.map((f) => ({ id: f.id, ...verdicts[f.title]!, rationale: `checked ${f.title}` })) });
      }
      if (agent === "fix-proposer") {
        if (task.includes("(pkg/alpha#")) {
          openedByFix = true;
          open();
        }
        const id = /\((pkg\/\w+#\d+)\)/.exec(task)![1]!;
        const slug = id.replace(/\W+/g, "-");
        return text(`Root cause: unchecked length.\n\n\`\`\`diff\n--- a/f\n+++ b/f\n-old\n+new mark-fix-${slug}\n\`\`\`\n\nTest: a long input.`);
      }
      if (agent === "report-writer") return reducerEcho(req, "Fix the race in pkg/beta first.");
      throw new Error(`unexpected agent ${agent}`);
    };
    server = await startFakeServer(handler);
    let run: CliRun;
    try {
      run = await execExample("triage-pipeline.js", server, await workspace(), { areas });
    } finally {
      clearTimeout(fallback);
    }

    expectDone(run);
    expect(openedByFix).toBe(true);
    const seen = calls(server);
    // Fixes only for high and above: not for the low finding, nor for the one the triager dismissed.
    expect(seen.filter((c) => c.agent === "fix-proposer").map((c) => /\((pkg\/\w+#\d+)\)/.exec(c.task)![1]).sort()).toEqual(["pkg/alpha#1", "pkg/beta#1"]);
    expect(seen.filter((c) => c.agent === "triager")).toHaveLength(2);
    expect(seenLine(run.stdout)).toBe(
      "Seen: mark-alpha-bogus, mark-alpha-naming, mark-alpha-overflow, mark-beta-race, mark-fix-pkg-alpha-1, mark-fix-pkg-beta-1",
    );
    expect(run.stdout).toContain("Fix the race in pkg/beta first.");
    const rows = ["| pkg/beta#1 | critical | medium |", "| pkg/alpha#1 | high | high |", "| pkg/alpha#2 | low | medium |"].map((r) => run.stdout.indexOf(r));
    expect(rows[0]).toBeGreaterThan(0);
    expect(rows[1]).toBeGreaterThan(rows[0]!);
    expect(rows[2]).toBeGreaterThan(rows[1]!);
    expect(run.stdout).not.toContain("| pkg/alpha#3 |");
    expect(run.stdout).toContain("### pkg/beta#1: mark-beta-race");
    expect(run.stdout).toContain("+new mark-fix-pkg-alpha-1");
  });

  it("measured-coverage.js runs the package's real coverage tool through bash and tables the figures it printed", { skip: !BWRAP_STARTS }, async () => {
    // The fixture's coverage script is Node's own test runner with coverage (offline, no install).
    const cwd = await workspace();
    await cp(path.join(REPO_ROOT, "test", "fixtures", "demo-measured"), cwd, { recursive: true });
    const before = await hashTree(cwd);
    const printed: string[] = [];
    // A scripted coverage-measurer: run the command, then copy the figures from the tool's output.
    const places: Record<string, string> = { "math.js": "src/math.js", "format.js": "src/util/format.js" };
    server = await startFakeServer((req) => {
      const agent = agentOf(req);
      if (agent === "coverage-measurer") {
        const [result] = toolResults(req);
        if (result === undefined) return toolCalls({ name: "bash", arguments: { command: "npm run --silent coverage" } });
        printed.push(result);
        const rows = [...result.matchAll(/^ℹ\s+(\S+\.js)\s+\|\s+([\d.]+)\s+\|\s+([\d.]+)\s+\|/gm)];
        const total = /^ℹ all files\s+\|\s+([\d.]+)/m.exec(result);
        return json(req, {
          package: ".",
          method: "measured",
          command: "npm run --silent coverage",
          reason: "",
          files: rows.map((m) => ({ file: places[m[1]!] ?? m[1]!, lines: Number(m[2]), branches: Number(m[3]) })),
          totalLines: total === null ? null : Number(total[1]),
          notes: "mark-measured src/unloaded.js is loaded by no test",
        });
      }
      if (agent === "report-writer") return reducerEcho(req, "Test the division by zero first.");
      throw new Error(`unexpected agent ${agent}`);
    });
    const run = await execExample("measured-coverage.js", server, cwd, { packages: ["./"], lowBelow: 75 });

    expectDone(run);
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/^exit code 0\n/);
    const figure = (name: string, column: number) => new RegExp(`^ℹ\\s+${name.replace(".", "\\.")}\\s+\\|${"\\s+([\\d.]+)\\s+\\|".repeat(column)}`, "m").exec(printed[0]!)?.[column];
    expect(figure("math.js", 1)).toBe("71.43");
    expect(run.stdout).toContain("| `.` | measured by `npm run --silent coverage` | 2 | 71.43 |");
    expect(run.stdout).toContain(`| \`src/util/format.js\` | \`.\` | ${figure("format.js", 1)} | ${figure("format.js", 2)} |`);
    expect(run.stdout).toContain(`| \`src/math.js\` | \`.\` | ${figure("math.js", 1)} | ${figure("math.js", 2)} |`);
    expect(seenLine(run.stdout)).toBe("Seen: mark-measured");
    // The tool wrote lcov.info inside the sandbox's throw-away layer only.
    expect(existsSync(path.join(cwd, "lcov.info"))).toBe(false);
    expect(await hashTree(cwd)).toBe(before);
  });

  it("measured-coverage.js says which package could not be measured and why", async () => {
    server = await startFakeServer((req) => {
      const agent = agentOf(req);
      if (agent === "coverage-measurer") {
        const pkg = itemIn(taskOf(req), ["pkg/a", "pkg/b"]);
        if (pkg === "pkg/b") throw new Error("the measurer crashed");
        return json(req, { package: pkg, method: "estimated", command: "npm run coverage", reason: "mark-a c8: not found", files: [{ file: "pkg/a/x.js", lines: null, branches: null }], totalLines: null, notes: "" });
      }
      if (agent === "report-writer") return reducerEcho(req, "Install c8.");
      throw new Error(`unexpected agent ${agent}`);
    });
    const run = await execExample("measured-coverage.js", server, await workspace(), { packages: ["pkg/a", "pkg/b"] });
    expectDone(run);
    expect(run.stdout).toContain("| `pkg/a` | estimated: mark-a c8: not found | 1 | — |");
    expect(run.stdout).toMatch(/\| `pkg\/b` \| failed: .+ \| 0 \| — \|/);
    expect(run.stdout).toContain("None: every measured file is at or above the threshold.");
  });
});
