import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CliError, EXIT } from "../../src/cli/exit-codes.js";
import { DEFAULT_MODEL, normalizeRunOptions } from "../../src/cli/run-options.js";

let workspace: string;
beforeAll(async () => {
  workspace = await realpath(await mkdtemp(path.join(os.tmpdir(), "agentwf-run-options-")));
  await writeFile(path.join(workspace, "file.txt"), "not a directory");
});
afterAll(() => rm(workspace, { recursive: true, force: true }));

const normalize = (raw: Record<string, unknown>, env: Record<string, string | undefined> = {}, task = "audit the tests") =>
  normalizeRunOptions(task, raw, env, workspace);

// The CliError's message, after checking it ends the program with the usage exit code (2).
function usageErrorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT.usage);
    return (error as CliError).message;
  }
  throw new Error("expected a CliError");
}

describe("normalizeRunOptions: defaults", () => {
  it("fills every default when no flag is given", () => {
    expect(normalize({})).toMatchObject({
      task: "audit the tests",
      model: DEFAULT_MODEL,
      agentModel: undefined,
      baseUrl: undefined,
      yes: false,
      dryRun: false,
      output: undefined,
      outputFormat: "text",
      concurrency: 8,
      maxAgents: 100,
      timeoutMs: 3_600_000,
      cwd: workspace,
    });
  });

  it("reads commander's string values for the number and duration flags", () => {
    expect(normalize({ concurrency: "64", maxAgents: "1", timeout: "90s" })).toMatchObject({
      concurrency: 64,
      maxAgents: 1,
      timeoutMs: 90_000,
    });
  });

  it("trims the task", () => {
    expect(normalize({}, {}, "  audit  \n").task).toBe("audit");
  });

  it("takes the model from AGENTWF_MODEL when -m is not given", () => {
    expect(normalize({}, { AGENTWF_MODEL: "groq/llama-3.1-8b" }).model).toBe("groq/llama-3.1-8b");
  });

  it("prefers -m over AGENTWF_MODEL", () => {
    expect(normalize({ model: "demo" }, { AGENTWF_MODEL: "groq/llama-3.1-8b" }).model).toBe("demo");
  });

  it("treats an empty AGENTWF_MODEL as unset and uses the default model", () => {
    expect(normalize({}, { AGENTWF_MODEL: "" }).model).toBe(DEFAULT_MODEL);
  });

  it("resolves a relative --cwd against the process's directory", () => {
    const sub = path.basename(workspace);
    expect(normalizeRunOptions("t", { cwd: sub }, {}, path.dirname(workspace)).cwd).toBe(workspace);
  });
});

describe("normalizeRunOptions: output format", () => {
  it("--json selects the json format", () => {
    expect(normalize({ json: true }).outputFormat).toBe("json");
  });

  it("--output-format stream-json selects stream-json", () => {
    expect(normalize({ outputFormat: "stream-json" }).outputFormat).toBe("stream-json");
  });

  it("accepts --json together with --output-format json", () => {
    expect(normalize({ json: true, outputFormat: "json" }).outputFormat).toBe("json");
  });

  it("rejects --json with --output-format stream-json", () => {
    expect(usageErrorOf(() => normalize({ json: true, outputFormat: "stream-json" }))).toBe(
      "--json and --output-format stream-json disagree; pass one of them",
    );
  });

  it("rejects --json with --output-format text", () => {
    expect(usageErrorOf(() => normalize({ json: true, outputFormat: "text" }))).toBe("--json and --output-format text disagree; pass one of them");
  });
});

describe("normalizeRunOptions: bad values", () => {
  it.each([
    [{ concurrency: "0" }, '--concurrency takes a whole number from 1 to 64, not "0"'],
    [{ concurrency: "65" }, '--concurrency takes a whole number from 1 to 64, not "65"'],
    [{ concurrency: "2.5" }, '--concurrency takes a whole number from 1 to 64, not "2.5"'],
    [{ concurrency: "many" }, '--concurrency takes a whole number from 1 to 64, not "many"'],
    [{ maxAgents: "0" }, '--max-agents takes a whole number from 1 to 10000, not "0"'],
    [{ maxAgents: "10001" }, '--max-agents takes a whole number from 1 to 10000, not "10001"'],
    [{ timeout: "soon" }, '--timeout takes a duration like 90s, 30m or 2h, not "soon"'],
    [{ timeout: "0s" }, '--timeout takes a duration like 90s, 30m or 2h, not "0s"'],
    [{ timeout: "1000h" }, '--timeout takes at most 596h, not "1000h"'],
    [{ outputFormat: "xml" }, "--output-format takes one of text, json, stream-json"],
    [{ model: "" }, "--model: Too small: expected string to have >=1 characters"],
  ])("rejects %j with exactly one line naming the flag", (raw, message) => {
    const text = usageErrorOf(() => normalize(raw));
    expect(text).toBe(message);
    expect(text).not.toContain("\n");
  });

  it("accepts the longest timeout Node's timers can hold (596h)", () => {
    expect(normalize({ timeout: "596h" }).timeoutMs).toBe(596 * 3_600_000);
  });

  it("joins several bad flags into one line separated by semicolons", () => {
    expect(usageErrorOf(() => normalize({ concurrency: "0", timeout: "soon" }))).toBe(
      '--concurrency takes a whole number from 1 to 64, not "0"; --timeout takes a duration like 90s, 30m or 2h, not "soon"',
    );
  });

  it("rejects an empty task and says how to give one", () => {
    expect(usageErrorOf(() => normalize({}, {}, "   "))).toBe('no task given: agentwf run "what to do" (or - to read it from stdin)');
  });

  it("rejects a --cwd that does not exist", () => {
    expect(usageErrorOf(() => normalize({ cwd: "missing-dir" }))).toBe("--cwd missing-dir: no such directory");
  });

  it("rejects a --cwd that is a file", () => {
    expect(usageErrorOf(() => normalize({ cwd: "file.txt" }))).toBe("--cwd file.txt: not a directory");
  });
});

describe("normalizeRunOptions: the person's settings and the project's file", () => {
  let ws: string;
  let xdg: string;
  beforeEach(async () => {
    ws = await realpath(await mkdtemp(path.join(os.tmpdir(), "agentwf-trust-ws-")));
    xdg = await realpath(await mkdtemp(path.join(os.tmpdir(), "agentwf-trust-xdg-")));
  });
  afterEach(async () => {
    await rm(ws, { recursive: true, force: true });
    await rm(xdg, { recursive: true, force: true });
  });
  const projectFile = () => path.join(ws, ".agentwf", "config.json");
  const userFile = () => path.join(xdg, "agentwf", "config.json");
  async function writeJson(file: string, value: unknown) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(value));
  }
  const run = (raw: Record<string, unknown>, env: Record<string, string> = {}) => normalizeRunOptions("t", raw, { XDG_CONFIG_HOME: xdg, ...env }, ws);

  it("takes the base URL from the flag, then AGENTWF_BASE_URL, then OPENAI_BASE_URL, then the user's config", async () => {
    await writeJson(userFile(), { baseUrl: "http://user-config.example/v1" });
    const env = { AGENTWF_BASE_URL: "http://agentwf.example/v1", OPENAI_BASE_URL: "http://openai.example/v1" };
    expect(run({ baseUrl: "http://flag.example/v1" }, env).baseUrl).toBe("http://flag.example/v1");
    expect(run({}, env).baseUrl).toBe("http://agentwf.example/v1");
    expect(run({}, { OPENAI_BASE_URL: "http://openai.example/v1" }).baseUrl).toBe("http://openai.example/v1");
    expect(run({}).baseUrl).toBe("http://user-config.example/v1");
  });

  it("never takes the base URL from the project's file, and says so once", async () => {
    await writeJson(projectFile(), { baseUrl: "http://attacker.example/v1" });
    const options = run({ model: "openai/gpt-4o-mini" }, { OPENAI_API_KEY: "sk" });
    expect(options.baseUrl).toBeUndefined();
    expect(options.warnings).toEqual([
      `agentwf: warning: ${projectFile()}: ignored baseUrl "http://attacker.example/v1": a project file may not choose the server your keys go to; to use it, pass --base-url or set AGENTWF_BASE_URL`,
    ]);
  });

  it("lets a project lower the user's limits and ignores what would raise them", async () => {
    await writeJson(userFile(), { concurrency: 16, limits: { memoryMb: 256 } });
    await writeJson(projectFile(), { concurrency: 4, maxAgents: 500, limits: { memoryMb: 1024, cpuTimeMs: 1000 } });
    const options = run({});
    expect(options).toMatchObject({ concurrency: 4, maxAgents: 100, limits: { concurrency: 4, maxAgents: 100, memoryMb: 256, cpuTimeMs: 1000 } });
    expect(options.warnings).toEqual([
      `agentwf: warning: ${projectFile()}: ignored maxAgents 500: a project file may lower limits, not raise them (yours is 100); to raise it, pass --max-agents or set it in ${userFile()}`,
      `agentwf: warning: ${projectFile()}: ignored limits.memoryMb 1024: a project file may lower limits, not raise them (yours is 256 MiB); to raise it, set it in ${userFile()}`,
    ]);
  });

  it("takes the sandbox from --sandbox, else the user's config, else read-only; a project may only tighten it", async () => {
    expect(run({})).toMatchObject({ sandbox: "read-only", network: false, allowDotEnv: false });
    await writeJson(userFile(), { sandbox: "workspace-write", network: true, tools: { readDotEnv: true } });
    expect(run({})).toMatchObject({ sandbox: "workspace-write", network: true, allowDotEnv: true, warnings: [] });
    await writeJson(projectFile(), { sandbox: "read-only", network: false, tools: { readDotEnv: true } });
    const tightened = run({});
    expect(tightened).toMatchObject({ sandbox: "read-only", network: false, allowDotEnv: true });
    expect(tightened.warnings).toEqual([
      `agentwf: warning: ${projectFile()}: ignored tools.readDotEnv true: a project file may not let tools read .env files (their keys would go to the model's server); to allow it, set it in ${userFile()}`,
    ]);
    expect(run({ sandbox: "danger-full-access", network: true })).toMatchObject({ sandbox: "danger-full-access", network: true });
    await writeJson(projectFile(), { sandbox: "danger-full-access" });
    expect(run({ sandbox: "read-only" })).toMatchObject({ sandbox: "read-only", warnings: [] });
  });

  it("rejects an unknown sandbox mode with the list of modes", () => {
    expect(usageErrorOf(() => run({ sandbox: "yolo" }))).toBe("--sandbox takes one of read-only, workspace-write, danger-full-access");
  });

  it("lets the flags beat both files", async () => {
    await writeJson(userFile(), { concurrency: 16, timeout: "2h" });
    await writeJson(projectFile(), { concurrency: 2, timeout: "5m" });
    expect(run({ concurrency: "32", timeout: "3h" })).toMatchObject({ concurrency: 32, timeoutMs: 3 * 3_600_000, warnings: [] });
  });

  it("takes a project's budget where the person has none, or a lower one in the same unit, and ignores a higher one", async () => {
    await writeJson(projectFile(), { budget: "1.00" });
    expect(run({}).budget).toEqual({ kind: "usd", amount: 1 });
    await writeJson(userFile(), { budget: "0.50" });
    const options = run({});
    expect(options.budget).toEqual({ kind: "usd", amount: 0.5 });
    expect(options.warnings).toEqual([
      `agentwf: warning: ${projectFile()}: ignored budget "1.00": a project file may lower the budget, not raise it or change its unit (yours is $0.50); to change it, pass --budget`,
    ]);
  });

  it("ignores a project's model on a server the person did not configure, and keeps the default", async () => {
    await writeJson(projectFile(), { model: "vllm/x" });
    const options = run({}, { AGENTWF_API_KEY: "k" });
    expect(options.model).toBe(DEFAULT_MODEL);
    expect(options.personModels).toEqual([DEFAULT_MODEL]);
    expect(options.warnings).toEqual([
      `agentwf: warning: ${projectFile()}: ignored model "vllm/x": not allowed: it would send requests to vLLM at http://127.0.0.1:8000/v1, a server you did not configure for this run; to allow it, pass --agent-model vllm/x (or -m vllm/x)`,
    ]);
  });

  it("takes the user's config model as the person's own", async () => {
    await writeJson(userFile(), { model: "vllm/x", agentModel: "ollama/y" });
    expect(run({})).toMatchObject({ model: "vllm/x", agentModel: "ollama/y", personModels: ["vllm/x", "ollama/y"], warnings: [] });
  });

  it("names the file of a bad timeout in a config file", async () => {
    await writeJson(projectFile(), { timeout: "soon" });
    expect(usageErrorOf(() => run({}))).toBe(`${projectFile()}: timeout takes a duration like 90s, 30m or 2h, not "soon"`);
  });
});
