import { mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
