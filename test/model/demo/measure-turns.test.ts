// The demo coverage-auditor through the real agent loop and the real read-only tools, with a bash
// tool given as a parameter that answers what a coverage tool printed (or failed with): the audit
// reports the tool's figures when it has them and says why it fell back when it has not.
import path from "node:path";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { runAgentLoop } from "../../../src/agent/agent-loop.js";
import { createDemoModel, DEMO_AUDIT_MARKER } from "../../../src/model/demo-model.js";
import { createReadOnlyTools } from "../../../src/tools/read-only-tools.js";
import { defineTool, type AgentTool, type ToolOutcome } from "../../../src/tools/tool.js";

const FIXTURE = path.join(import.meta.dirname, "..", "..", "fixtures", "demo-measured");
const payload = { package: { dir: ".", label: "measured-fixture", kind: "npm", exclude: [] }, npm: [], imported: [] };

const TABLE = `ℹ start of coverage report
ℹ file        | line % | branch % | funcs % | uncovered lines
ℹ src         |        |          |         | 
ℹ  math.js    |  71.43 |    75.00 |  100.00 | 4-5
ℹ  util       |        |          |         | 
ℹ   format.js |  71.43 |    66.67 |   50.00 | 6-7
ℹ all files   |  71.43 |    71.43 |   75.00 | 
ℹ end of coverage report`;

function fakeBash(answer: ToolOutcome, commands: string[]): AgentTool {
  return defineTool({
    name: "bash",
    description: "a shell (test double)",
    parameters: z.object({ command: z.string() }),
    summarize: (args) => args.command,
    async execute(args) {
      commands.push(args.command);
      return answer;
    },
  });
}

async function audit(tools: readonly AgentTool[]): Promise<{ answer: Record<string, unknown>; calls: string[] }> {
  const calls: string[] = [];
  const outcome = await runAgentLoop({
    agentId: "a1",
    model: createDemoModel(),
    systemPrompt: "- Workspace root: /w (tool paths are relative to it)",
    prompt: `${DEMO_AUDIT_MARKER} audit\n${JSON.stringify(payload)}`,
    tools,
    maxTurns: 30,
    emit: (event) => {
      if (event.type === "tool_start") calls.push(event.summary);
    },
    signal: new AbortController().signal,
  });
  if (!outcome.ok) throw new Error(outcome.error);
  return { answer: JSON.parse(outcome.text) as Record<string, unknown>, calls };
}

describe("the demo coverage-auditor", () => {
  it("reads package.json, runs its coverage script through bash, and answers with the tool's figures", async () => {
    const commands: string[] = [];
    const { answer, calls } = await audit([...createReadOnlyTools(FIXTURE), fakeBash({ ok: true, output: `exit code 0\n${TABLE}` }, commands)]);
    expect(calls.slice(0, 2)).toEqual(["read_file package.json", "bash npm run --silent coverage"]);
    expect(commands).toEqual(["npm run --silent coverage"]);
    expect(answer).toMatchObject({
      method: "measured",
      command: "npm run --silent coverage",
      why: 'package.json script "coverage"',
      status: "exit code 0",
      files: [
        { file: "src/math.js", lines: 71.43, branches: 75, functions: 100, uncovered: "4-5" },
        { file: "src/util/format.js", lines: 71.43, branches: 66.67, functions: 50, uncovered: "6-7" },
      ],
      total: { lines: 71.43, branches: 71.43, functions: 75 },
      // The scan still runs: a source file no test loaded is not in Node's table, and is named.
      notReported: ["src/unloaded.js"],
      cut: false,
    });
  });

  it("falls back to names and imports when the command fails, quoting its last line", async () => {
    const { answer } = await audit([...createReadOnlyTools(FIXTURE), fakeBash({ ok: true, output: 'exit code 1\nnpm error Missing script: "coverage"' }, [])]);
    expect(answer).toMatchObject({ method: "inferred", inferredBecause: '`npm run --silent coverage` ended with exit code 1: npm error Missing script: "coverage"', sourceFiles: 3 });
  });

  it("falls back when the command prints no table, and when bash cannot start", async () => {
    const quiet = await audit([...createReadOnlyTools(FIXTURE), fakeBash({ ok: true, output: "exit code 0\nall good" }, [])]);
    expect(quiet.answer.inferredBecause).toBe("`npm run --silent coverage` printed no coverage table this demo can read: all good");
    const broken = await audit([...createReadOnlyTools(FIXTURE), fakeBash({ ok: false, error: "could not start: spawn bwrap ENOENT" }, [])]);
    expect(broken.answer.inferredBecause).toBe("`npm run --silent coverage` could not run: could not start: spawn bwrap ENOENT");
  });

  it("says bash was not offered when it has no bash tool, and makes no manifest call", async () => {
    const { answer, calls } = await audit(createReadOnlyTools(FIXTURE));
    expect(answer.inferredBecause).toBe("the bash tool is not offered to this agent (no sandbox could start, or the agent type does not list bash), so no coverage tool could run");
    expect(calls[0]).toBe("list_dir .");
  });
});
