// A cloned repository is written by an attacker. These tests build such repositories (real
// `git init`, symlinks committed, FIFOs made in the work tree since git cannot commit them) and
// drive the built CLI against the fake OpenAI-compatible server, as a person would run it. Each
// asserts what the model server receives (never a byte from outside the workspace), that the
// process ends (runCli's bound kills a hang, which then fails the exit-code assertion), and that
// the workspace is unchanged.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, realpath, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeServer, text, toolCalls, toolResults, type FakeServer, type Handler, type RecordedRequest } from "../helpers/fake-openai-server.js";
import { runCli, tempHome } from "../helpers/run-cli.js";

const SECRET = "OUTSIDE-SECRET-7f3a9c";
// Generous: a hang is what the bound catches; a healthy run takes a few seconds.
const BOUND_MS = 45_000;

let parent: string;
let repo: string;
let home: string;
let server: FakeServer | undefined;

beforeEach(async () => {
  parent = await realpath(await mkdtemp(path.join(os.tmpdir(), "agentwf-hostile-")));
  repo = path.join(parent, "repo");
  await mkdir(path.join(parent, "outside"), { recursive: true });
  await writeFile(path.join(parent, "outside", "id_rsa"), `-----BEGIN KEY-----\n${SECRET}\n-----END KEY-----\n`);
  await writeFile(path.join(parent, "outside", "secret.txt"), `SECRET=${SECRET}\n`);
  await mkdir(repo);
  home = await tempHome();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(parent, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

async function write(relative: string, content: string | Uint8Array): Promise<void> {
  const file = path.join(repo, relative);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
}

function git(...args: string[]): void {
  execFileSync("git", ["-c", "user.name=attacker", "-c", "user.email=a@example.invalid", ...args], { cwd: repo, stdio: "ignore" });
}

function commitAll(): void {
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "clone me");
}

/** Every entry of the work tree: type, link target or content hash; FIFOs are never opened. */
async function snapshot(dir = repo): Promise<string[]> {
  const lines: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const full = path.join(dir, name);
    const info = await lstat(full);
    const rel = path.relative(repo, full);
    if (info.isSymbolicLink()) lines.push(`${rel} -> ${await readlink(full)}`);
    else if (info.isDirectory()) lines.push(`${rel}/`, ...(await snapshot(full)));
    else if (info.isFIFO()) lines.push(`${rel} (fifo)`);
    else lines.push(`${rel} ${createHash("sha256").update(await readFile(full)).digest("hex")} ${info.mode.toString(8)}`);
  }
  return lines;
}

const isParent = (req: RecordedRequest) => (req.body.tools ?? []).some((t) => t.function.name === "workflow");
const everything = (s: FakeServer) => JSON.stringify(s.requests.map((r) => r.body));

function envFor(s: FakeServer): Record<string, string> {
  return { AGENTWF_HOME: home, AGENTWF_BASE_URL: s.baseUrl, AGENTWF_API_KEY: "test-key" };
}

const ONE_AGENT = `async function main(wf) {
  return await wf.runAgent("Look around the repository with your tools.");
}`;

/** A parent that runs ONE_AGENT and reports what it returned; a sub-agent that makes `calls`, then reports their results. */
function scripted(calls: ReadonlyArray<{ name: string; arguments: unknown }>): { handler: Handler; results: () => Map<string, string> } {
  let seen = new Map<string, string>();
  const handler: Handler = (req) => {
    if (isParent(req)) {
      const back = toolResults(req);
      if (back.length === 0) return toolCalls({ name: "workflow", arguments: { name: "look", code: ONE_AGENT } });
      return text(`# Report\n\n${back[0]}\n`);
    }
    const back = toolResults(req);
    if (back.length === 0) return toolCalls(...calls.map((call, index) => ({ ...call, id: `call_${index}` })));
    seen = new Map(
      req.body.messages.filter((m) => m.role === "tool").map((m) => [m.tool_call_id ?? "", typeof m.content === "string" ? m.content : ""]),
    );
    return text("looked");
  };
  return { handler, results: () => seen };
}

describe("a hostile repository cannot make agentwf read outside it or hang", () => {
  it("keeps AGENTS.md -> outside key, a directory symlink out and a device link out of every request, and answers a catastrophic regex", async () => {
    await symlink("../outside/id_rsa", path.join(repo, "AGENTS.md"));
    await symlink("../outside", path.join(repo, "sec"));
    await symlink("/dev/zero", path.join(repo, "dev"));
    await write(".gitignore", "ignored/\n");
    await write("src/ok.txt", "needle here\n");
    await write("latin1.txt", Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6e, 0x65, 0x65, 0x64, 0x6c, 0x65, 0x0a]));
    await write("evil.txt", `${"a".repeat(40)}b\n${"a".repeat(40)}\n`);
    // A name that makes a backtracking glob matcher spin on `*a*a*a*a*ab` (7 s in picomatch).
    await write(`names/${"a".repeat(200)}`, "x\n");
    await write("big.txt", "x".repeat(1023).concat("\n").repeat(3 * 1024));
    commitAll();
    await write("ignored/needle.txt", "needle (ignored)\n");
    const before = await snapshot();

    const script = scripted([
      { name: "grep", arguments: { pattern: "SECRET", glob: "sec/*" } },
      { name: "glob", arguments: { pattern: "sec/*" } },
      { name: "read_file", arguments: { path: "AGENTS.md" } },
      { name: "read_file", arguments: { path: "sec/id_rsa" } },
      { name: "read_file", arguments: { path: "dev" } },
      { name: "grep", arguments: { pattern: "^(a+)+$" } },
      { name: "grep", arguments: { pattern: "needle" } },
      { name: "list_dir", arguments: { path: "." } },
      { name: "glob", arguments: { pattern: "names/*a*a*a*a*a*a*ab" } },
    ]);
    server = await startFakeServer(script.handler);
    const run = await runCli(["run", "--yes", "-m", "openai/test-model", "look around"], { cwd: repo, env: envFor(server), timeoutMs: BOUND_MS });

    expect(run.exitCode).toBe(0);
    expect(everything(server)).not.toContain(SECRET);
    expect(run.stdout).not.toContain(SECRET);
    expect(run.stderr.match(/AGENTS\.md skipped/g)).toEqual(["AGENTS.md skipped"]);
    expect(run.stderr).toContain(`AGENTS.md skipped, not part of the prompt: AGENTS.md: leads through a symbolic link to ${path.join(parent, "outside", "id_rsa")}`);
    const results = script.results();
    expect([...results.keys()]).toEqual(["call_0", "call_1", "call_2", "call_3", "call_4", "call_5", "call_6", "call_7", "call_8"]);
    expect(results.get("call_0")).toBe('[no matches for /SECRET/ in 0 files under "."]');
    expect(results.get("call_1")).toBe('[no files match "sec/*" under "."]');
    expect(results.get("call_2")).toContain(`leads through a symbolic link to ${path.join(parent, "outside", "id_rsa")}, outside the workspace`);
    expect(results.get("call_3")).toContain(`leads through a symbolic link to ${path.join(parent, "outside", "id_rsa")}, outside the workspace`);
    expect(results.get("call_4")).toContain("leads through a symbolic link to /dev/zero, outside the workspace");
    expect(results.get("call_5")).toBe(`evil.txt:2: ${"a".repeat(40)}\n\n[not searched: 1 file over 2 MB]`);
    expect(results.get("call_6")).toBe("latin1.txt:1: caf\uFFFD needle\nsrc/ok.txt:1: needle here\n\n[not searched: 1 file over 2 MB]");
    expect(results.get("call_7")).toBe(
      [".gitignore", "AGENTS.md -> ../outside/id_rsa (outside the workspace; not readable)", "big.txt",
        "dev -> /dev/zero (outside the workspace; not readable)", "evil.txt", "latin1.txt",
        "names/", "sec -> ../outside (outside the workspace; not readable)", "src/", "", "[1 entries ignored by .gitignore not shown]"].join("\n"),
    );
    expect(results.get("call_8")).toBe('[no files match "names/*a*a*a*a*a*a*ab" under "."]');
    expect(await snapshot()).toEqual(before);
  });

  it("starts and finishes with a FIFO named AGENTS.md and a FIFO agent file, saying once why each was skipped", async () => {
    await write("README.md", "hello\n");
    await write(".agentwf/agents/helper.md", "---\nname: helper\ndescription: helps\n---\nHelp.\n");
    commitAll();
    execFileSync("mkfifo", [path.join(repo, "AGENTS.md")]);
    execFileSync("mkfifo", [path.join(repo, ".agentwf", "agents", "trap.md")]);
    const before = await snapshot();
    server = await startFakeServer(() => text("# Report\n\nnothing to do\n"));

    const run = await runCli(["run", "--yes", "-m", "openai/test-model", "anything"], { cwd: repo, env: envFor(server), timeoutMs: BOUND_MS });

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe("# Report\n\nnothing to do");
    expect(run.stderr.match(/AGENTS\.md skipped[^\n]*/g)).toEqual([
      "AGENTS.md skipped, not part of the prompt: AGENTS.md: is not a regular file (a FIFO, socket or device); only regular files are read",
    ]);
    expect(run.stderr).toContain(`${path.join(repo, ".agentwf", "agents", "trap.md")}: is not a regular file (a FIFO, socket or device)`);
    expect(server.requests).toHaveLength(1);
    expect(everything(server)).not.toContain("Project instructions (AGENTS.md)");
    expect(await snapshot()).toEqual(before);
  });

  it("stops at a project config that is a FIFO or links out, with one line and exit 2, and sends nothing", async () => {
    await mkdir(path.join(repo, ".agentwf"));
    await symlink("../../outside/secret.txt", path.join(repo, ".agentwf", "config.json"));
    commitAll();
    server = await startFakeServer(() => text("never"));
    const linked = await runCli(["run", "--yes", "-m", "openai/test-model", "x"], { cwd: repo, env: envFor(server), timeoutMs: BOUND_MS });
    expect(linked.exitCode).toBe(2);
    expect(linked.stderr).toContain(`.agentwf/config.json: leads through a symbolic link to ${path.join(parent, "outside", "secret.txt")}, outside the workspace`);
    expect(linked.stderr).not.toContain(SECRET);

    await rm(path.join(repo, ".agentwf", "config.json"));
    execFileSync("mkfifo", [path.join(repo, ".agentwf", "config.json")]);
    const fifo = await runCli(["run", "--yes", "-m", "openai/test-model", "x"], { cwd: repo, env: envFor(server), timeoutMs: BOUND_MS });
    expect(fifo.exitCode).toBe(2);
    expect(fifo.stderr).toContain(".agentwf/config.json: is not a regular file (a FIFO, socket or device); only regular files are read");
    expect(server.requests).toHaveLength(0);
  });

  it("refuses a workflow file that is a FIFO with one line and exit 2 instead of waiting for a writer", async () => {
    await write("README.md", "hello\n");
    commitAll();
    execFileSync("mkfifo", [path.join(repo, "flow.js")]);
    const run = await runCli(["check", "flow.js"], { cwd: repo, env: { AGENTWF_HOME: home }, timeoutMs: BOUND_MS });
    expect(run.exitCode).toBe(2);
    expect(run.stderr.trim()).toBe("agentwf: flow.js: is not a regular file (a FIFO, socket or device); only regular files are read");
  });
});
