// The run store holds tool output and file contents: private to the person whatever the umask.
import { chmod, mkdir, mkdtemp, readFile, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRunStore } from "../../src/run/run-store.js";

const modeOf = async (file: string) => (await stat(file)).mode & 0o777;

let previousUmask: number;
let root: string;

beforeEach(async () => {
  // The most permissive umask: nothing the store writes may rely on the person's umask.
  previousUmask = process.umask(0);
  root = await mkdtemp(path.join(os.tmpdir(), "agentwf-store-"));
});
afterEach(() => {
  process.umask(previousUmask);
});

async function fillOneRun(home: string) {
  const store = createRunStore(home, "20261202-120000-abcd");
  store.record({ type: "warning", time: 1, message: "hello" });
  store.journal({
    kind: "agent",
    time: 1,
    key: "k",
    occurrence: 1,
    agentId: "w1.1",
    request: { prompt: "p", agent: "general-purpose", description: "d" },
    result: { ok: true, value: "v", usage: { inputTokens: 1, outputTokens: 1 } },
  });
  const workflow = await store.saveWorkflow("w1", "audit", "async function main(wf) {}");
  await store.saveReport("# Report\n");
  await store.close();
  return { store, workflow };
}

describe("run store", () => {
  it("creates the state home, runs/, the run's folders as 0700 and every file as 0600 under umask 0", async () => {
    const home = path.join(root, "state", "agentwf");
    const { store, workflow } = await fillOneRun(home);
    expect(await modeOf(home)).toBe(0o700);
    expect(await modeOf(path.join(home, "runs"))).toBe(0o700);
    expect(await modeOf(store.dir)).toBe(0o700);
    expect(await modeOf(path.join(store.dir, "workflows"))).toBe(0o700);
    for (const file of ["events.jsonl", "journal.jsonl", "report.md"]) expect(await modeOf(path.join(store.dir, file))).toBe(0o600);
    expect(await modeOf(workflow)).toBe(0o600);
    expect(await readFile(path.join(store.dir, "report.md"), "utf8")).toBe("# Report\n");
    expect(JSON.parse((await readFile(path.join(store.dir, "events.jsonl"), "utf8")).trim())).toEqual({ type: "warning", time: 1, message: "hello" });
  });

  it("tightens a runs/ folder an earlier version left world-readable, and leaves an existing state home's mode alone", async () => {
    const home = path.join(root, "chosen");
    await mkdir(path.join(home, "runs"), { recursive: true });
    await chmod(home, 0o755);
    await chmod(path.join(home, "runs"), 0o755);
    await fillOneRun(home);
    expect(await modeOf(path.join(home, "runs"))).toBe(0o700);
    expect(await modeOf(home)).toBe(0o755);
  });

  it("keeps files private under a umask that would also take the owner's write bit", async () => {
    process.umask(0o277);
    const { store } = await fillOneRun(path.join(root, "strict"));
    expect(await modeOf(store.dir)).toBe(0o700);
    expect(await modeOf(path.join(store.dir, "events.jsonl"))).toBe(0o600);
    expect(await modeOf(path.join(store.dir, "report.md"))).toBe(0o600);
  });
});
