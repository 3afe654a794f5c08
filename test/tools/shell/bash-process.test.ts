// The bash tool's process handling: the whole group killed on timeout and cancel (checked from
// outside by command line), output kept as head + tail with a marker, exit codes and signals in
// words, and the per-agent total.
import { mkdir, readdir } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SandboxMode } from "../../../src/config/sandbox-mode.js";
import { DEFAULT_BASH_LIMITS } from "../../../src/tools/bash.js";
import { createTempWorkspace, type TempWorkspace } from "../temp-workspace.js";
import { HAS_BWRAP, bashIn, outputOf, processesWith, untilGone } from "./sandbox-harness.js";

let ws: TempWorkspace;
beforeEach(async () => {
  ws = await createTempWorkspace();
});
afterEach(async () => {
  await ws.remove();
});

const MODES: SandboxMode[] = HAS_BWRAP ? ["danger-full-access", "workspace-write", "read-only"] : ["danger-full-access"];
// A number no other test's command line holds, per mode.
const markerFor = (mode: SandboxMode, what: "timeout" | "cancel" | "run-end") => `${4_000_000 + MODES.indexOf(mode) * 10 + ["timeout", "cancel", "run-end"].indexOf(what)}`;

describe.each(MODES)("bash in %s", (mode) => {
  it("kills the command and what it started in the background on timeout, and says so", async () => {
    const marker = markerFor(mode, "timeout");
    const h = await bashIn(ws.root, mode);
    const outcome = await h.bash(`echo started; (sleep ${marker} &); sleep ${marker}`, { timeoutMs: 8000 });
    const [status, ...rest] = outputOf(outcome).split("\n");
    expect(status).toBe("timed out after 8s; the command and everything it started were killed (pass a larger timeout_ms, or run less at once)");
    // "started" unless a very loaded machine took the whole 8s to start the sandbox.
    expect([["started", ""], ["(no output)"]]).toContainEqual(rest);
    expect(await untilGone(marker)).toEqual([]);
    h.box.dispose();
  });

  it("kills the group when the call is cancelled, with what left the group under bwrap", async () => {
    const marker = markerFor(mode, "cancel");
    const h = await bashIn(ws.root, mode);
    const cancel = new AbortController();
    // Under bwrap the background sleep also leaves the shell's group (setsid): the sandbox's PID
    // namespace still ends it. Without a sandbox nothing can follow a process that leaves its
    // group; that is one of the dangers of that mode.
    const escape = mode === "danger-full-access" ? "" : "setsid ";
    const running = h.bash(`(${escape}sleep ${marker} &); sleep ${marker}`, { signal: cancel.signal, timeoutMs: 600_000 });
    // Cancel once both sleeps are seen running from outside.
    while ((await processesWith(marker)).length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    cancel.abort();
    expect(outputOf(await running)).toBe("cancelled; the command and everything it started were killed\n(no output)");
    expect(await untilGone(marker)).toEqual([]);
    h.box.dispose();
  });

  it("kills what still runs at the run's end and removes the scratch layers", async () => {
    const marker = markerFor(mode, "run-end");
    const scratchParent = path.join(ws.outside, "scratch");
    await mkdir(scratchParent);
    const h = await bashIn(ws.root, mode, { scratchParent });
    // In read-only mode the locked folder lands in the agent's layer, which must still be removed.
    const where = mode === "read-only" ? "." : "/tmp";
    const running = h.bash(`cd ${where} && mkdir -p made/locked && chmod 000 made/locked; sleep ${marker}`, { timeoutMs: 600_000 });
    while ((await processesWith(marker)).length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    h.box.dispose();
    expect(outputOf(await running).split("\n")[0]).toMatch(/^(exit code 137 \(killed by SIGKILL\)|killed by SIGKILL)$/);
    expect(await untilGone(marker)).toEqual([]);
    expect(await readdir(scratchParent)).toEqual([]);
  });

  it("reports exit codes and fatal signals", async () => {
    const h = await bashIn(ws.root, mode);
    expect(outputOf(await h.bash("echo out; echo err >&2; exit 3"))).toBe("exit code 3\nout\nerr\n");
    expect(outputOf(await h.bash("true"))).toBe("exit code 0\n(no output)");
    const killed = outputOf(await h.bash("kill -TERM $$"));
    // Without a sandbox the shell itself is the child; under bwrap the sandbox reports 128 + 15.
    expect(killed).toBe(mode === "danger-full-access" ? "killed by SIGTERM\n(no output)" : "exit code 143 (killed by SIGTERM)\n(no output)");
    h.box.dispose();
  });

  it("keeps the head and the tail of long output with a marker between them", async () => {
    const h = await bashIn(ws.root, mode, { limits: { ...DEFAULT_BASH_LIMITS, cap: { headBytes: 100, tailBytes: 50 } } });
    const out = outputOf(await h.bash("echo FIRST; head -c 100000 /dev/zero | tr '\\0' a; echo; echo LAST"));
    const lines = out.split("\n");
    expect(lines[0]).toBe("exit code 0");
    expect(lines[1]).toBe("FIRST");
    expect(lines[2]).toBe("a".repeat(94));
    expect(lines[3]).toBe("[agentwf: 99862 bytes of output left out here; 100012 bytes in all. Send output to a file in /tmp and read parts of it with head, tail or grep.]");
    expect(lines[4]).toBe("a".repeat(44));
    expect(lines.slice(5)).toEqual(["LAST", ""]);
    h.box.dispose();
  });

  it("strips terminal control sequences from the output and scrubs key values", async () => {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, MY_API_KEY: "sk-live-abcdefgh12345678" };
    const h = await bashIn(ws.root, mode, { env });
    // The key reaches the command only by being typed into it; the output still hides it.
    const out = outputOf(await h.bash("printf 'a\\033]0;title\\007b\\033[31mc\\n'; echo key=sk-live-abcdefgh12345678"));
    expect(out).toBe("exit code 0\nabc\nkey=[secret removed]\n");
    h.box.dispose();
  });

  it("stops starting commands once the agent's total is used up", async () => {
    const h = await bashIn(ws.root, mode, { limits: { ...DEFAULT_BASH_LIMITS, perAgentMs: 1 } });
    const first = await h.bash("sleep 0.05; echo one");
    expect(outputOf(first)).toMatch(/^(exit code 0\none\n|timed out after 1ms; .*)/);
    const second = await h.bash("echo two");
    expect(second).toEqual({ ok: false, error: "your commands have used all of their 1ms together; answer with what you have" });
    // Another agent has its own total.
    expect((await h.bash("echo three", { agentId: "agent-2" })).ok).toBe(true);
    h.box.dispose();
  });
});
