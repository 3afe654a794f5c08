// End-to-end: hostile text from a model server reaches the person's terminal through no output of
// the built CLI: not the piped report, not the -o file, not stderr, not the parent model's view
// of a workflow result.
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { errorReply, startFakeServer, text, toolCalls, toolResults, type FakeServer, type RecordedRequest } from "../helpers/fake-openai-server.js";
import { runCli, tempHome } from "../helpers/run-cli.js";

let server: FakeServer | undefined;
let home: string;
let dir: string;

beforeEach(async () => {
  home = await tempHome();
  dir = await mkdtemp(path.join(os.tmpdir(), "agentwf-hostile-out-"));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const envFor = (s: FakeServer) => ({ AGENTWF_HOME: home, AGENTWF_BASE_URL: s.baseUrl, AGENTWF_API_KEY: "k" });

// What no output may carry raw: C0 (but newline and tab), DEL, C1, bidi overrides and isolates.
const RAW = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

const HOSTILE: ReadonlyArray<readonly [name: string, sequence: string]> = [
  ["an OSC 52 clipboard write", "\x1b]52;c;Y3VybCBldmlsLnNofHNo\x07"],
  ["a window title", "\x1b]0;title\x1b\\"],
  ["an OSC 8 link", "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"],
  ["a right-to-left override", "\u202etxt.exe"],
  ["a screen clear", "\x1b[2J\x1b[H"],
  ["an 8-bit CSI", "\x9b2J"],
];
// What each leaves behind once stripped.
const LEFT: Record<string, string> = {
  "an OSC 52 clipboard write": "",
  "a window title": "",
  "an OSC 8 link": "click",
  "a right-to-left override": "txt.exe",
  "a screen clear": "",
  "an 8-bit CSI": "",
};

describe("hostile text through agentwf exec", () => {
  it.each(HOSTILE)("%s returned by a workflow reaches neither the piped report nor the -o file raw", async (name, sequence) => {
    server = await startFakeServer(() => text(`before ${sequence} after`));
    const file = path.join(dir, "wf.js");
    await writeFile(file, 'async function main(wf) { return "got: " + (await wf.runAgent("x")); }\n');
    const out = path.join(dir, "report.md");
    const run = await runCli(["exec", file, "-m", "openai/t", "-o", out], { env: envFor(server) });
    const expected = `got: before ${LEFT[name]} after`;
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(expected);
    expect(await readFile(out, "utf8")).toBe(`${expected}\n`);
    expect(run.stderr).not.toMatch(RAW);
  });

  it("prints a server's error text on stderr with its escapes removed", async () => {
    server = await startFakeServer(() => errorReply(400, "bad \x1b]0;pwned\x07request\u202e here\x1b[2J"));
    const file = path.join(dir, "wf.js");
    await writeFile(file, 'async function main(wf) { return await wf.runAgent("x"); }\n');
    const run = await runCli(["exec", file, "-m", "openai/t"], { env: envFor(server) });
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain("bad request here");
    expect(run.stderr).not.toMatch(RAW);
  });

  it("writes --json with the report's value kept and nothing a terminal obeys", async () => {
    server = await startFakeServer(() => text("a\u202eb\x9b2Jc"));
    const file = path.join(dir, "wf.js");
    await writeFile(file, 'async function main(wf) { return await wf.runAgent("x"); }\n');
    const run = await runCli(["exec", file, "-m", "openai/t", "--json"], { env: envFor(server) });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).not.toMatch(RAW);
    expect(run.stdout).toContain('"report":"a\\u202eb\\u009b2Jc"');
    expect((JSON.parse(run.stdout) as { report: string }).report).toBe("a\u202eb\x9b2Jc");
  });
});

describe("hostile text through agentwf run", () => {
  const isParent = (req: RecordedRequest) => (req.body.tools ?? []).some((t) => t.function.name === "workflow");

  it("gives the parent model a workflow result without escape sequences, and prints a clean report", async () => {
    const hostile = HOSTILE.map(([, sequence]) => sequence).join(" | ");
    let seen: string | undefined;
    server = await startFakeServer((req) => {
      if (!isParent(req)) return text(hostile);
      const results = toolResults(req);
      if (results.length === 0) {
        return toolCalls({ name: "workflow", arguments: { name: "echo", code: 'async function main(wf) { return await wf.runAgent("x"); }' } });
      }
      seen = results[0];
      // A parent that repeats what it was given, and adds its own.
      return text(`report: ${results[0]} \x1b]0;parent\x07\u2066end`);
    });
    const out = path.join(dir, "report.md");
    const run = await runCli(["run", "--yes", "-m", "openai/t", "-o", out, "go"], { env: envFor(server) });
    expect(run.exitCode).toBe(0);
    expect(seen).toBe(" |  | click | txt.exe |  | ");
    expect(run.stdout).toBe("report:  |  | click | txt.exe |  |  end");
    expect(await readFile(out, "utf8")).toBe("report:  |  | click | txt.exe |  |  end\n");
    expect(run.stderr).not.toMatch(RAW);
  });
});

describe("hostile text from workspace files", () => {
  it("agentwf agents strips an agent file's description and agentwf check escapes a quoted character", async () => {
    const agentsDir = path.join(dir, ".agentwf", "agents");
    await mkdir(agentsDir, { recursive: true });
    await writeFile(path.join(agentsDir, "evil.md"), "---\nname: evil\ndescription: \"reads \\e]52;c;eA==\\a files \\u202e\"\n---\nbody\n");
    const agents = await runCli(["agents", "--cwd", dir], { env: { AGENTWF_HOME: home } });
    expect(agents.stdout).toMatch(/^evil {2,}\.agentwf\/agents {2,}all {2,}run's {2,}reads files$/m);
    expect(agents.stdout + agents.stderr).not.toMatch(RAW);

    const file = path.join(dir, "bad.js");
    await writeFile(file, "async function main(wf) {\n  return 1 \u202e+ 2;\n}\n");
    const check = await runCli(["check", file], { env: { AGENTWF_HOME: home } });
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toContain(`${file}:2:12 error: a bidirectional control character (U+202E) can hide code from the person who approves it; remove it or write it as an escape like "\\u202e" inside a string`);
    expect(check.stdout).toContain(`${file}:2:12 error: syntax error: Unexpected character '\\u202e'`);
    expect(check.stdout + check.stderr).not.toMatch(RAW);
  });
});
