// The run store holds tool output and file contents: private to the person whatever the umask.
import { chmod, mkdir, mkdtemp, readdir, readFile, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createNewRunStore, createRunStore, effectiveStatus, openRunForResume, readRunMeta } from "../../src/run/run-store.js";

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
    for (const file of ["events.jsonl", "journal.jsonl", "report.md", "run.json"]) expect(await modeOf(path.join(store.dir, file))).toBe(0o600);
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

  it("has every line on disk as soon as it is recorded, before the store is closed", async () => {
    const store = createRunStore(path.join(root, "h"), "r1", { command: "exec", task: "exec wf.js", model: "openai/t", cwd: root });
    store.record({ type: "warning", time: 1, message: "first" });
    expect(await readFile(path.join(store.dir, "events.jsonl"), "utf8")).toBe('{"type":"warning","time":1,"message":"first"}\n');
    expect(readRunMeta(store.dir)).toMatchObject({ runId: "r1", command: "exec", status: "running", process: { pid: process.pid } });
    store.setStatus("interrupted", "interrupted");
    expect(readRunMeta(store.dir)).toMatchObject({ status: "interrupted", error: "interrupted" });
    expect(readRunMeta(store.dir)?.process).toBeUndefined();
    await store.close();
    // run.json is replaced by rename: no temporary file is left beside it, and the lock is released.
    expect((await readdir(store.dir)).sort()).toEqual(["events.jsonl", "journal.jsonl", "run.json", "workflows"]);
  });

  it("gives two runs that draw the same id at the same moment folders of their own", async () => {
    const home = path.join(root, "shared");
    const ids = ["same", "same", "other"];
    const first = createNewRunStore(home, { command: "run", task: "one", model: "m", cwd: root, startedAt: 1 }, () => ids.shift() ?? "x");
    const second = createNewRunStore(home, { command: "run", task: "two", model: "m", cwd: root, startedAt: 1 }, () => ids.shift() ?? "x");
    expect([first.runId, second.runId]).toEqual(["same", "other"]);
    first.record({ type: "warning", time: 1, message: "from one" });
    second.record({ type: "warning", time: 1, message: "from two" });
    expect(await readFile(path.join(first.dir, "events.jsonl"), "utf8")).toContain("from one");
    expect(await readFile(path.join(first.dir, "events.jsonl"), "utf8")).not.toContain("from two");
    expect(readRunMeta(first.dir)?.task).toBe("one");
    await Promise.all([first.close(), second.close()]);
  });

  it("refuses to resume a run whose process still runs, and takes over one whose process is gone (kill -9)", async () => {
    const home = path.join(root, "locks");
    const store = createRunStore(home, "held", { command: "run", task: "t", model: "m", cwd: root });
    // Another live process holds it: the test runner's parent.
    writeFileSync(path.join(store.dir, "lock"), JSON.stringify({ pid: process.ppid }));
    expect(() => openRunForResume(home, "held")).toThrow(`run held is still running in process ${process.ppid}; wait for it, or stop it first`);

    // A process that has exited held it, and run.json still says running: the run was killed.
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const deadPid = Number(gone.stdout);
    writeFileSync(path.join(store.dir, "lock"), JSON.stringify({ pid: deadPid }));
    const meta = readRunMeta(store.dir);
    if (meta === undefined) throw new Error("no run.json");
    expect(effectiveStatus({ ...meta, process: { pid: deadPid } })).toBe("killed");
    const resumed = openRunForResume(home, "held");
    expect(resumed.previous.runId).toBe("held");
    expect(readRunMeta(store.dir)).toMatchObject({ status: "running", resumes: 1, process: { pid: process.pid } });
    await resumed.store.close();
  });

  it("refuses to resume a run that is done, or an id that could leave the runs folder", async () => {
    const home = path.join(root, "done");
    const store = createRunStore(home, "finished", { command: "run", task: "t", model: "m", cwd: root });
    store.setStatus("done");
    await store.close();
    expect(() => openRunForResume(home, "finished")).toThrow("run finished is done; its report: agentwf runs show finished");
    expect(() => openRunForResume(home, "../x")).toThrow('"../x" is not a run id; see agentwf runs');
  });
});
