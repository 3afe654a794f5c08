// Claude Code–format scripts end to end: the built CLI, spawned as a person runs it, against the
// fake OpenAI-compatible server. The documented script and the Claude-format example give the
// same results as their main(wf) versions; saved workflows are listed and run by name, with
// approval; a fenced, TypeScript-annotated main from the parent runs without a repair round.
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { lastUserText, startFakeServer, systemText, text, toolCalls, toolResults, type FakeServer, type Handler, type RecordedRequest } from "../helpers/fake-openai-server.js";
import { REPO_ROOT, runCli, tempHome, type CliRun } from "../helpers/run-cli.js";

let server: FakeServer | undefined;
let home: string;

beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const env = (s: FakeServer) => ({ AGENTWF_HOME: home, HOME: home, AGENTWF_BASE_URL: s.baseUrl, AGENTWF_API_KEY: "x", AGENTWF_MAX_RETRIES: "0" });
const cli = (args: string[], s: FakeServer, cwd: string) => runCli([...args, "-m", "openai/test-model", "--cwd", cwd], { env: env(s), timeoutMs: 90_000 });

async function workspace(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "agentwf-claude-"));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

function expectDone(run: CliRun): void {
  expect(run.exitCode, run.stderr).toBe(0);
  expect(run.stderr).not.toMatch(/at .*\.js:\d+/);
}

// The documented script as a main(wf) workflow, for comparison.
const AUDIT_ROUTES_MAIN = `async function main(wf) {
  const found = await wf.runAgent('List every .ts file under src/routes/.', {
    schema: { type: 'object', required: ['files'], properties: { files: { type: 'array', items: { type: 'string' } } } },
  });
  const audits = await wf.pipeline(found.files, (file) => wf.runAgent(\`Audit \${file} for missing authentication checks.\`, { description: file }));
  return audits.filter(Boolean);
}
`;

/** The fake server's answers for audit-routes: a file list, then one audit per file (one fails). */
const auditRoutes: Handler = (req) => {
  const task = lastUserText(req);
  if (task.startsWith("List every .ts file")) return text(JSON.stringify({ files: ["src/routes/users.ts", "src/routes/orders.ts", "src/routes/broken.ts"] }));
  const file = /Audit (\S+) for missing/.exec(task)?.[1];
  if (file === "src/routes/broken.ts") return { kind: "error", status: 400, body: { error: { message: "context too long" } } };
  if (file !== undefined) return text(`${file}: mark-${path.basename(file, ".ts")} has no auth check on DELETE`);
  throw new Error(`unexpected task ${task.slice(0, 80)}`);
};

describe("Claude Code–format scripts with agentwf exec", { timeout: 180_000 }, () => {
  it("runs the documented audit-routes script with the same result as its main(wf) version: the failed audit is dropped", async () => {
    server = await startFakeServer(auditRoutes);
    const cwd = await workspace({ "main-version.js": AUDIT_ROUTES_MAIN });
    const claude = await cli(["exec", path.join(REPO_ROOT, "examples", "claude", "audit-routes.js")], server, cwd);
    expectDone(claude);
    const main = await cli(["exec", path.join(cwd, "main-version.js")], server, cwd);
    expectDone(main);
    expect(JSON.parse(claude.stdout)).toEqual(["src/routes/users.ts: mark-users has no auth check on DELETE", "src/routes/orders.ts: mark-orders has no auth check on DELETE"]);
    expect(claude.stdout).toBe(main.stdout);
    // Claude Code's semantics: the failed agent() is null and the script filtered it out; the log says why.
    expect(claude.stderr).toContain("agent 'src/routes/broken.ts' failed, its result is null");
  });

  it("runs the Claude-format coverage-audit example with exactly the report of examples/coverage-audit.js", async () => {
    const areas = ["pkg/alpha", "pkg/beta"];
    server = await startFakeServer((req) => {
      const system = systemText(req);
      const task = lastUserText(req);
      if (task.includes("<inputs>")) return text(`Coverage is uneven.\n\nSeen: ${[...new Set(task.match(/mark-[a-z-]+/g) ?? [])].sort().join(", ")}`);
      const area = areas.find((a) => task.includes(`\`${a}\``));
      if (area !== undefined && system.length > 0) {
        return text(JSON.stringify({ area, sourceFiles: 4, testedFiles: area === "pkg/alpha" ? 1 : 4, gaps: area === "pkg/alpha" ? [{ file: "pkg/alpha/ledger.ts", priority: "high", why: "mark-ledger refunds", suggestedTest: "refund 0.1 + 0.2" }] : [], notes: `mark-${area.slice(4)}` }));
      }
      throw new Error(`unexpected task ${task.slice(0, 80)}`);
    });
    const cwd = await workspace();
    await mkdir(path.join(cwd, ".agentwf", "agents"), { recursive: true });
    for (const agent of ["coverage-auditor.md", "report-writer.md"]) await copyFile(path.join(REPO_ROOT, "examples", "agents", agent), path.join(cwd, ".agentwf", "agents", agent));
    const input = ["--input", JSON.stringify({ areas: ["pkg/alpha/", "./pkg/beta"] })];
    const claude = await cli(["exec", path.join(REPO_ROOT, "examples", "claude", "coverage-audit.js"), ...input], server, cwd);
    expectDone(claude);
    const main = await cli(["exec", path.join(REPO_ROOT, "examples", "coverage-audit.js"), ...input], server, cwd);
    expectDone(main);
    expect(claude.stdout).toContain("Seen: mark-alpha, mark-beta, mark-ledger");
    expect(claude.stdout).toContain("| `pkg/alpha` | 4 | 1 | 25% | `pkg/alpha/ledger.ts` |");
    expect(claude.stdout).toBe(main.stdout);
  });

  it("shows each phase and the agents under it in the progress lines", async () => {
    server = await startFakeServer((req) => text(`answer to ${lastUserText(req)}`));
    const cwd = await workspace({
      "phased.js": [
        "export const meta = { name: 'phased', description: 'two phases', phases: [{ title: 'Scan' }, { title: 'Verify' }] }",
        "phase('Scan')",
        "const a = await agent('scan the code', { label: 'scanner' })",
        "phase('Verify')",
        "const b = await agent('verify it', { label: 'verifier' })",
        "return [a, b]",
      ].join("\n"),
    });
    const run = await cli(["exec", path.join(cwd, "phased.js")], server, cwd);
    expectDone(run);
    expect(JSON.parse(run.stdout)).toEqual(["answer to scan the code", "answer to verify it"]);
    expect(run.stderr).toMatch(/phase\s+w1: Scan[\s\S]*start \[Scan\] scanner[\s\S]*phase\s+w1: Verify[\s\S]*start \[Verify\] verifier/);
  });
});

describe("saved workflows", { timeout: 180_000 }, () => {
  const SAVED = "export const meta = { name: 'hello-args', description: 'Greets each name in args' }\nconst out = await parallel(args.names.map((n) => () => agent('greet ' + n)))\nreturn out\n";

  it("agentwf workflows lists .agentwf/workflows and .claude/workflows, project before personal", async () => {
    const cwd = await workspace({
      ".claude/workflows/hello.js": SAVED,
      ".agentwf/workflows/plain.js": "async function main(wf) { return 1; }\n",
    });
    await mkdir(path.join(home, ".claude", "workflows"), { recursive: true });
    await writeFile(path.join(home, ".claude", "workflows", "mine.js"), "export const meta = { name: 'mine', description: 'A personal one' }\nreturn 1\n");
    await writeFile(path.join(home, ".claude", "workflows", "dup.js"), "export const meta = { name: 'hello-args', description: 'shadowed' }\nreturn 1\n");
    const run = await runCli(["workflows", "--cwd", cwd], { env: { HOME: home, AGENTWF_HOME: home } });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(
      [
        "plain",
        "  (no meta header: add export const meta = { name, description })",
        "  from: .agentwf/workflows/plain.js (project)",
        "hello-args",
        "  Greets each name in args",
        "  from: .claude/workflows/hello.js (project)",
        "mine",
        "  A personal one",
        "  from: ~/.claude/workflows/mine.js (personal)",
      ].join("\n"),
    );
    expect(run.stderr).toBe('agentwf: ~/.claude/workflows/dup.js: the name "hello-args" is already taken by .claude/workflows/hello.js, which is the one that runs');
  });

  it("agentwf run --workflow NAME --args JSON --yes runs a saved Claude-format workflow without a parent", async () => {
    server = await startFakeServer((req) => text(`hi ${lastUserText(req).replace("greet ", "")}`));
    const cwd = await workspace({ ".claude/workflows/hello.js": SAVED });
    const run = await runCli(["run", "--workflow", "hello-args", "--args", '{"names":["ada","bob"]}', "--yes", "-m", "openai/test-model", "--cwd", cwd], { env: env(server), timeoutMs: 90_000 });
    expectDone(run);
    expect(JSON.parse(run.stdout)).toEqual(["hi ada", "hi bob"]);
    // No parent: every request is a sub-agent's.
    expect(server.requests.every((r) => !(r.body.tools ?? []).some((t) => t.function.name === "workflow"))).toBe(true);
  });

  it("--dry-run prints the saved workflow's code and runs nothing, even with --yes", async () => {
    server = await startFakeServer(() => text("unused"));
    const cwd = await workspace({ ".claude/workflows/hello.js": SAVED });
    const run = await runCli(["run", "--workflow", "hello-args", "--dry-run", "--yes", "-m", "openai/test-model", "--cwd", cwd], { env: env(server) });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(SAVED.trimEnd());
    expect(server.requests).toHaveLength(0);
  });

  it("refuses a saved workflow never approved when there is no terminal and no --yes, before any model call", async () => {
    server = await startFakeServer(() => text("unused"));
    const cwd = await workspace({ ".claude/workflows/hello.js": SAVED });
    const run = await runCli(["exec", "hello-args", "-m", "openai/test-model", "--cwd", cwd], { env: env(server) });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('no terminal to approve saved workflow "hello-args" (.claude/workflows/hello.js) on, and this content was never approved');
    expect(server.requests).toHaveLength(0);
  });

  it("runs a saved workflow whose exact content was approved before, and asks again once the file changes", async () => {
    server = await startFakeServer((req) => text(`hi ${lastUserText(req).replace("greet ", "")}`));
    const cwd = await workspace({ ".claude/workflows/hello.js": SAVED });
    const { createHash } = await import("node:crypto");
    const sha256 = createHash("sha256").update(SAVED).digest("hex");
    await writeFile(path.join(home, "approved-workflows.json"), JSON.stringify({ version: 1, approvals: [{ sha256, name: "hello-args", approvedAt: "2026-01-01T00:00:00.000Z" }] }));
    const args = ["exec", "hello-args", "--input", '{"names":["cy"]}', "-m", "openai/test-model", "--cwd", cwd];
    const approved = await runCli(args, { env: env(server), timeoutMs: 90_000 });
    expectDone(approved);
    expect(JSON.parse(approved.stdout)).toEqual(["hi cy"]);
    expect(approved.stderr).toContain(".claude/workflows/hello.js was approved before with this exact content; running it");

    await writeFile(path.join(cwd, ".claude/workflows/hello.js"), SAVED.replace("greet ", "greet, then steal "));
    const changed = await runCli(args, { env: env(server), timeoutMs: 90_000 });
    expect(changed.exitCode).toBe(2);
    expect(changed.stderr).toContain("this content was never approved");
  });

  it("does not read a saved workflow through a symlink that leads out of the workspace", async () => {
    const outside = await workspace({ "evil.js": SAVED });
    const cwd = await workspace();
    const { symlink } = await import("node:fs/promises");
    await mkdir(path.join(cwd, ".claude"), { recursive: true });
    await symlink(outside, path.join(cwd, ".claude", "workflows"));
    const run = await runCli(["workflows", "--cwd", cwd], { env: { HOME: home, AGENTWF_HOME: home } });
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("agentwf: no saved workflows");
  });
});

describe("forgiving intake from the parent", { timeout: 180_000 }, () => {
  const isParent = (req: RecordedRequest) => (req.body.tools ?? []).some((t) => t.function.name === "workflow");

  it("runs a fenced, TypeScript-annotated, exported main without a repair round", async () => {
    const fenced = '```ts\nexport async function main(wf: Wf): Promise<string> {\n  const areas: string[] = ["api", "db"];\n  const found: string[] = await wf.mapAgents(areas, "Inspect {item}");\n  return found.join(" + ");\n}\n```';
    server = await startFakeServer((req) => {
      if (isParent(req)) {
        const results = toolResults(req);
        if (results.length === 0) return toolCalls({ name: "workflow", arguments: { name: "inspect", code: fenced } });
        return text(`# Report\n\n${results[0]}\n`);
      }
      return text(`found in ${lastUserText(req).replace("Inspect ", "")}`);
    });
    const cwd = await workspace();
    const run = await runCli(["run", "inspect the code", "--yes", "-m", "openai/test-model", "--cwd", cwd], { env: env(server), timeoutMs: 90_000 });
    expectDone(run);
    expect(run.stdout).toBe("# Report\n\nfound in api + found in db");
    // One parent turn proposes, one writes the report: no repair round in between.
    expect(server.requests.filter(isParent)).toHaveLength(2);
  });

  it("teaches the parent the Claude Code format with --dialect claude, and runs what it writes", async () => {
    const script = "export const meta = { name: 'inspect', description: 'Inspect two areas' }\nconst found = await parallel(['api', 'db'].map((a) => () => agent('Inspect ' + a)))\nreturn found.join(' + ')\n";
    let system = "";
    server = await startFakeServer((req) => {
      if (isParent(req)) {
        system = systemText(req);
        const results = toolResults(req);
        if (results.length === 0) return toolCalls({ name: "workflow", arguments: { name: "inspect", code: script } });
        return text(`# Report\n\n${results[0]}\n`);
      }
      return text(`found in ${lastUserText(req).replace("Inspect ", "")}`);
    });
    const cwd = await workspace();
    const run = await runCli(["run", "inspect the code", "--dialect", "claude", "--yes", "-m", "openai/test-model", "--cwd", cwd], { env: env(server), timeoutMs: 90_000 });
    expectDone(run);
    expect(run.stdout).toBe("# Report\n\nfound in api + found in db");
    expect(system).toContain("Write it in Claude Code's workflow format");
    expect(system).toContain("declare function agent(prompt: string, opts?: AgentOpts): Promise<any>;");
    expect(await readFile(path.join(REPO_ROOT, "prompts", "claude-workflow.d.ts"), "utf8")).toContain("declare function parallel");
  });
});
