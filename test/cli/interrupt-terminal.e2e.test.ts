// Ctrl-C on a real terminal (tmux gives the CLI a pseudo-terminal): with more than three
// sub-agents running, the first Ctrl-C asks before anything stops; "n" keeps every sub-agent
// running (the server sees no new request), "y" stops the run with exit 130. Waits poll the
// screen and the server, never a fixed time.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeServer, toolCalls, type FakeServer, type RecordedRequest } from "../helpers/fake-openai-server.js";
import { BIN, REPO_ROOT, tempHome } from "../helpers/run-cli.js";

const hasTmux = spawnSync("tmux", ["-V"], { stdio: "ignore" }).status === 0;
const SOCKET = `agentwf-int-${process.pid}`;
const SESSION = "int";
const WAIT_MS = 45_000;

const tmux = (...args: string[]): string => {
  const result = spawnSync("tmux", ["-L", SOCKET, "-f", "/dev/null", ...args], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`tmux ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout;
};
const screen = (): string => tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", SESSION);
const keys = (...k: string[]) => tmux("send-keys", "-t", SESSION, ...k);

async function waitFor(what: string, ready: () => boolean): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    if (ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}; the screen was:\n${screen()}`);
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

let server: FakeServer | undefined;
afterEach(async () => {
  spawnSync("tmux", ["-L", SOCKET, "kill-server"], { stdio: "ignore" });
  await server?.close();
  server = undefined;
});

describe.skipIf(!hasTmux)("Ctrl-C on a terminal with many sub-agents running", () => {
  it("asks first; n keeps them running, y stops the run with exit 130", async () => {
    expect(existsSync(path.join(REPO_ROOT, "dist", "cli", "entry.js")), "build first: npm run build").toBe(true);
    server = await startFakeServer(() => ({ kind: "hang" }));
    const home = await tempHome();
    const work = await mkdtemp(path.join(os.tmpdir(), "agentwf-int-"));
    const file = path.join(work, "wf.js");
    await writeFile(file, 'async function main(wf) { return wf.mapAgents(["a", "b", "c", "d", "e"], "check {item}"); }\n');
    const exitFile = path.join(work, "exit");
    const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? os.tmpdir(), TERM: "screen-256color", AGENTWF_HOME: home, AGENTWF_BASE_URL: server.baseUrl, AGENTWF_API_KEY: "k" };
    const command = [
      "env -i",
      ...Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`),
      process.execPath,
      "--no-node-snapshot",
      shellQuote(BIN),
      "exec",
      shellQuote(file),
      "-m openai/t -c 5",
      `> /dev/null; echo $? > ${shellQuote(exitFile)}; sleep 600`,
    ].join(" ");
    tmux("new-session", "-d", "-s", SESSION, "-x", "120", "-y", "30", "-c", REPO_ROOT, command);

    const live = server;
    await waitFor("five sub-agents in flight", () => live.requests.length === 5);
    keys("C-c");
    await waitFor("the question", () => screen().includes("stop 5 running sub-agents? y/N"));
    keys("n", "Enter");
    // Answered no: the run goes on. Asking again proves the process is alive and still has five
    // sub-agents running; the server saw no new request and none was cut off.
    keys("C-c");
    await waitFor("the question again", () => screen().split("stop 5 running sub-agents? y/N").length === 3);
    expect(existsSync(exitFile)).toBe(false);
    expect(live.requests).toHaveLength(5);
    keys("y", "Enter");
    await waitFor("the end of the run", () => existsSync(exitFile));
    expect((await readFile(exitFile, "utf8")).trim()).toBe("130");
    expect(screen()).toMatch(/agentwf: resume with: agentwf exec \S+ --resume \d{8}-\d{6}-\w{4}/);
  });

  it("asks in the live view of agentwf run too, which comes back after a no", async () => {
    expect(existsSync(path.join(REPO_ROOT, "dist", "cli", "entry.js")), "build first: npm run build").toBe(true);
    const isParent = (req: RecordedRequest) => (req.body.tools ?? []).some((t) => t.function.name === "workflow");
    server = await startFakeServer((req) =>
      isParent(req)
        ? toolCalls({ name: "workflow", arguments: { name: "five", code: 'async function main(wf) { return wf.mapAgents(["a", "b", "c", "d", "e"], "check {item}"); }' } })
        : { kind: "hang" },
    );
    const home = await tempHome();
    const work = await mkdtemp(path.join(os.tmpdir(), "agentwf-int-"));
    const exitFile = path.join(work, "exit");
    const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? os.tmpdir(), TERM: "screen-256color", AGENTWF_HOME: home, AGENTWF_BASE_URL: server.baseUrl, AGENTWF_API_KEY: "k" };
    const command = [
      "env -i",
      ...Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`),
      process.execPath,
      "--no-node-snapshot",
      shellQuote(BIN),
      "run --yes -m openai/t -c 5 'check five letters'",
      `> /dev/null; echo $? > ${shellQuote(exitFile)}; sleep 600`,
    ].join(" ");
    tmux("new-session", "-d", "-s", SESSION, "-x", "120", "-y", "40", "-c", REPO_ROOT, command);

    const live = server;
    // The parent's request and five sub-agents'.
    await waitFor("five sub-agents in flight", () => live.requests.length === 6 && screen().includes("5 running"));
    keys("C-c");
    await waitFor("the question", () => screen().includes("stop 5 running sub-agents? y/N"));
    keys("n", "Enter");
    await waitFor("the live view again", () => screen().includes("5 running") && !screen().endsWith("y/N n\n"));
    keys("C-c");
    await waitFor("the question again", () => screen().split("stop 5 running sub-agents? y/N").length >= 3);
    expect(existsSync(exitFile)).toBe(false);
    expect(live.requests).toHaveLength(6);
    keys("y", "Enter");
    await waitFor("the end of the run", () => existsSync(exitFile));
    expect((await readFile(exitFile, "utf8")).trim()).toBe("130");
    expect(screen()).toMatch(/resume with: agentwf run --resume \d{8}-\d{6}-\w{4}/);
  });
});
