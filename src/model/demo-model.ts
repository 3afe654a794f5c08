// `--model demo`: an offline, deterministic stand-in for a model server. It drives the real
// machinery (tool calls through the agent loop, a workflow through the sandbox, sub-agents through
// the scheduler) with a fixed plan: whatever the task, it audits test coverage.
//   parent     lists the workspace's top-level folders, then writes a mapAgents + reduceAgent
//              workflow over the source folders, then reports the workflow's result;
//   sub-agent  ("[demo:audit]") globs its area's source files and the repository's test files
//              and answers which sources have no matching test;
//   reducer    ("[demo:merge]") merges the findings into a markdown table.
import type { Usage } from "../events.js";
import type { AssistantTurn, ChatMessage, Model, ModelRequest, StreamOptions, ToolCall } from "./types.js";

export const DEMO_AUDIT_MARKER = "[demo:audit]";
export const DEMO_MERGE_MARKER = "[demo:merge]";

const SOURCE_EXTENSIONS = ["ts", "tsx", "js", "jsx", "mjs", "cjs", "py", "go", "rs", "java", "rb", "kt", "swift", "c", "cc", "cpp", "cs", "php"];
const NOT_SOURCE_DIRS = new Set([
  "node_modules", "dist", "build", "out", "coverage", "vendor", "target", "docs", "doc",
  "test", "tests", "__tests__", "spec", "specs", "e2e", "fixtures", "examples", "bench", "benchmarks", "public", "assets", "prompts",
]);
const TEST_FILE = /(^|\/)(test_[^/]+|[^/]+[._-](test|spec)\.[^/]+|[^/]+_test\.[^/]+)$/;

interface Finding {
  readonly area: string;
  readonly sourceFiles: number;
  readonly untested: readonly string[];
}

function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function usageOf(request: ModelRequest, output: string): Usage {
  const input = request.messages.reduce((sum, m) => sum + estimateTokens(m.content), 0);
  return { inputTokens: input, outputTokens: estimateTokens(output), costUsd: 0 };
}

let callCounter = 0;
const call = (name: string, args: Record<string, unknown>): ToolCall => {
  callCounter += 1;
  return { id: `demo${String(callCounter).padStart(5, "0")}`, name, arguments: JSON.stringify(args) };
};

const toolResults = (messages: readonly ChatMessage[]) =>
  messages.filter((m): m is Extract<ChatMessage, { role: "tool" }> => m.role === "tool");

/** Lines of a tool's output that are paths, without notices. */
function pathLines(output: string): string[] {
  return output
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("[") && !line.startsWith("(") && !/^Error:/.test(line) && !/^No (files|matches)/i.test(line));
}

/** The folders of a list_dir result that hold source code. */
export function sourceAreas(listing: string): string[] {
  const dirs = pathLines(listing)
    .filter((line) => line.endsWith("/"))
    .map((line) => line.slice(0, -1).split("/").pop() ?? "")
    .filter((name) => name !== "" && !name.startsWith(".") && !NOT_SOURCE_DIRS.has(name.toLowerCase()));
  return dirs.length > 0 ? dirs : ["."];
}

/** The workflow the demo parent proposes. */
export function demoWorkflow(areas: readonly string[]): string {
  return [
    "async function main(wf) {",
    `  const areas = ${JSON.stringify(areas)};`,
    "  const findings = await wf.mapAgents(",
    "    areas,",
    `    ${JSON.stringify(`${DEMO_AUDIT_MARKER} Area: {item}\nList the source files in {item} that have no matching test file.`)},`,
    '    { description: (area) => "audit " + area },',
    "  );",
    "  wf.log(`audited ${areas.length} areas`);",
    "  return wf.reduceAgent(",
    "    findings,",
    `    ${JSON.stringify(`${DEMO_MERGE_MARKER} Merge the per-area findings into one markdown table.`)},`,
    '    { description: "merge findings" },',
    "  );",
    "}",
  ].join("\n");
}

function stem(file: string): string {
  const base = file.split("/").pop() ?? file;
  return base
    .replace(/\.[^.]+$/, "")
    .replace(/^test_/, "")
    .replace(/[._-](test|spec)$/, "")
    .replace(/_test$/, "")
    .toLowerCase();
}

/** Which of `sources` have no test file with the same stem. */
export function untestedFiles(sources: readonly string[], tests: readonly string[]): string[] {
  const tested = new Set(tests.map(stem));
  return sources.filter((file) => !TEST_FILE.test(file) && !tested.has(stem(file)));
}

export function findingsTable(findings: readonly Finding[]): string {
  const rows = findings.map((f) => {
    const listed = f.untested.slice(0, 10).map((file) => `\`${file}\``).join(", ");
    const more = f.untested.length > 10 ? ` and ${f.untested.length - 10} more` : "";
    return `| ${f.area} | ${f.sourceFiles} | ${f.untested.length} | ${listed || "—"}${more} |`;
  });
  const total = findings.reduce((sum, f) => sum + f.sourceFiles, 0);
  const missing = findings.reduce((sum, f) => sum + f.untested.length, 0);
  return [
    "| Area | Source files | Without a test | Files without a test |",
    "| --- | ---: | ---: | --- |",
    ...rows,
    `| **Total** | **${total}** | **${missing}** | |`,
  ].join("\n");
}

function parseFindings(prompt: string): Finding[] {
  const match = /<inputs>\n([\s\S]*)\n<\/inputs>/.exec(prompt);
  if (match === null) return [];
  try {
    const value: unknown = JSON.parse(match[1] ?? "[]");
    const list = Array.isArray(value) ? value : [];
    return list.flatMap((entry: unknown) => {
      const item = typeof entry === "string" ? (JSON.parse(entry) as unknown) : entry;
      if (typeof item !== "object" || item === null) return [];
      const f = item as Partial<Finding>;
      return typeof f.area === "string" && Array.isArray(f.untested)
        ? [{ area: f.area, sourceFiles: Number(f.sourceFiles ?? 0), untested: f.untested.map(String) }]
        : [];
    });
  } catch {
    return [];
  }
}

function parentTurn(request: ModelRequest): { text: string; toolCalls: ToolCall[] } {
  const results = toolResults(request.messages);
  const assistantCalls = request.messages.flatMap((m) => (m.role === "assistant" ? m.toolCalls : []));
  const task = request.messages.find((m) => m.role === "user")?.content ?? "";
  const lastWorkflowCall = [...assistantCalls].reverse().find((c) => c.name === "workflow");
  if (lastWorkflowCall !== undefined) {
    const result = results.find((r) => r.toolCallId === lastWorkflowCall.id)?.content ?? "";
    if (result.startsWith("Error:")) {
      return { text: `# Test coverage audit (demo model)\n\nThe workflow did not finish: ${result.slice(7)}\n`, toolCalls: [] };
    }
    const body = [
      "# Test coverage audit",
      "",
      `> Written offline by agentwf's **demo model**, which always audits test coverage whatever the task ("${task.split("\n")[0]?.slice(0, 80) ?? ""}"). Run with \`-m provider/model\` for a real model.`,
      "",
      "Source files are matched to tests by file name (`foo.ts` ↔ `foo.test.ts`, `foo.spec.ts`, `test_foo.py`, `foo_test.go`).",
      "",
      result.trim(),
      "",
    ].join("\n");
    return { text: body, toolCalls: [] };
  }
  const listing = results.find((r) => r.name === "list_dir");
  if (listing === undefined) return { text: "Looking at the workspace first.", toolCalls: [call("list_dir", { path: "." })] };
  const areas = sourceAreas(listing.content);
  return {
    text: `Auditing ${areas.length} source area(s) in parallel.`,
    toolCalls: [call("workflow", { name: "demo-coverage-audit", code: demoWorkflow(areas) })],
  };
}

function auditTurn(request: ModelRequest, prompt: string): { text: string; toolCalls: ToolCall[] } {
  const area = /Area: (.+)/.exec(prompt)?.[1]?.trim() ?? ".";
  const results = toolResults(request.messages);
  if (results.length === 0) {
    const prefix = area === "." ? "" : `${area}/`;
    return {
      text: "",
      toolCalls: [
        call("glob", { pattern: `${prefix}**/*.{${SOURCE_EXTENSIONS.join(",")}}` }),
        call("glob", { pattern: "**/*{test,spec,_test,test_}*.*" }),
      ],
    };
  }
  const [sources, tests] = results.map((r) => pathLines(r.content));
  const sourceFiles = (sources ?? []).filter((file) => !TEST_FILE.test(file));
  const finding: Finding = { area, sourceFiles: sourceFiles.length, untested: untestedFiles(sourceFiles, tests ?? []) };
  return { text: JSON.stringify(finding), toolCalls: [] };
}

function decide(request: ModelRequest): { text: string; toolCalls: ToolCall[] } {
  const prompt = request.messages.find((m) => m.role === "user")?.content ?? "";
  if (request.tools?.some((t) => t.name === "workflow")) return parentTurn(request);
  if (prompt.includes(DEMO_AUDIT_MARKER)) return auditTurn(request, prompt);
  if (prompt.includes(DEMO_MERGE_MARKER)) return { text: findingsTable(parseFindings(prompt)), toolCalls: [] };
  return {
    text: "The demo model only runs its built-in test-coverage audit; use -m provider/model for other tasks.",
    toolCalls: [],
  };
}

/** The offline demo model. */
export function createDemoModel(): Model {
  return {
    id: "demo",
    async stream(request: ModelRequest, options: StreamOptions = {}): Promise<AssistantTurn> {
      if (options.signal?.aborted) return { text: "", thinking: "", toolCalls: [], stopReason: "aborted", usage: { inputTokens: 0, outputTokens: 0 } };
      const { text, toolCalls } = decide(request);
      // Stream word by word, as a server would, so that live views have something to show.
      for (const piece of text.match(/\S+\s*|\s+/g) ?? []) options.onDelta?.({ type: "text", delta: piece });
      const usage = usageOf(request, text + toolCalls.map((c) => c.arguments).join(""));
      return { text, thinking: "", toolCalls, stopReason: toolCalls.length > 0 ? "tool_calls" : "stop", usage };
    },
  };
}
