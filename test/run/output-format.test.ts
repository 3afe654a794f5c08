// `--output-format json` and `stream-json` through the CLI in process, each line checked with the
// schemas that document them (RunResultSchema, RunEventSchema).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { execCommand } from "../../src/cli/exec-command.js";
import type { CliIO } from "../../src/cli/cli-io.js";
import { EXIT } from "../../src/cli/exit-codes.js";
import { RunEventSchema } from "../../src/events.js";
import { ProgressSnapshotSchema, RunResultSchema, StreamJsonLineSchema } from "../../src/run/output-format.js";
import { tempDir } from "./run-harness.js";

function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join("") };
}

async function execJson(outputFormat: "json" | "stream-json") {
  const cwd = tempDir("workspace");
  writeFileSync(path.join(cwd, "hello.js"), 'async function main(wf) {\n  wf.log("saying hello");\n  return "hello " + wf.input.name;\n}\n');
  const stdout = collector();
  const stderr = collector();
  const io: CliIO = { stdin: new PassThrough(), stdout: stdout.stream, stderr: stderr.stream, env: { AGENTWF_HOME: tempDir("home") }, cwd, colorLevel: 0 };
  const code = await execCommand("hello.js", { model: "demo", outputFormat, input: '{"name": "you"}' }, io, new AbortController().signal);
  return { code, lines: stdout.text().trimEnd().split("\n"), stderr: stderr.text() };
}

describe("machine-readable output", () => {
  it("--output-format json prints one result object that RunResultSchema accepts", async () => {
    const { code, lines } = await execJson("json");
    expect(code).toBe(EXIT.done);
    expect(lines).toHaveLength(1);
    const result = RunResultSchema.parse(JSON.parse(lines[0] ?? ""));
    expect(result).toMatchObject({ type: "result", status: "done", report: "hello you", agents: 0, failedAgents: 0, usage: { inputTokens: 0, outputTokens: 0 } });
  });

  it("--output-format stream-json prints events RunEventSchema accepts, a progress snapshot after each change, then the result object", async () => {
    const { code, lines } = await execJson("stream-json");
    expect(code).toBe(EXIT.done);
    const parsed = lines.map((line) => StreamJsonLineSchema.parse(JSON.parse(line)));
    expect(parsed.map((e) => e.type)).toEqual([
      "run_start",
      "progress",
      "workflow_proposed",
      "workflow_estimate",
      "workflow_start",
      "progress",
      "workflow_log",
      "workflow_end",
      "progress",
      "run_end",
      "result",
    ]);
    for (const line of lines.slice(0, -1)) {
      const value: unknown = JSON.parse(line);
      if ((value as { type: string }).type === "progress") ProgressSnapshotSchema.parse(value);
      else RunEventSchema.parse(value);
    }
    expect(ProgressSnapshotSchema.parse(JSON.parse(lines[5] ?? ""))).toMatchObject({
      type: "progress",
      status: "running",
      agents: { done: 0, failed: 0, running: 0, queued: 0 },
      workflow: { id: "w1", name: "hello.js", done: 0, failed: 0, running: 0, queued: 0 },
      running: [],
    });
    expect(RunResultSchema.parse(JSON.parse(lines.at(-1) ?? ""))).toMatchObject({ status: "done", report: "hello you" });
  });
});
