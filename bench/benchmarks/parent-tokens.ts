// 8. Parent tokens: the coverage audit (examples/coverage-audit.js, as the parent's workflow) over
// 4 and over 64 areas. What the sub-agents find stays in the workflow; the parent sees its
// result. The baseline is a parent into whose context every sub-agent's result enters.
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { contentText, startFakeServer, text, type RecordedRequest } from "../../test/helpers/fake-openai-server.js";
import { cliArgs, cliEnv, REPO_ROOT, scratch } from "../lib/cli.js";
import { measure } from "../lib/measure.js";
import { isParent, parentReply } from "../lib/scenario.js";
import type { Benchmark } from "../lib/types.js";

// The example as a parent would propose it, allowed to discover up to 64 areas.
const CODE = readFileSync(path.join(REPO_ROOT, "examples", "coverage-audit.js"), "utf8").replace("maxAreas: 12", "maxAreas: 64");

const tokens = (chars: number) => Math.ceil(chars / 4);

/** What a request puts in the model's context: every message's text and tool-call arguments. */
function contextChars(request: RecordedRequest): number {
  return request.body.messages.reduce((sum, m) => sum + contentText(m).length + (m.tool_calls ?? []).reduce((s, c) => s + c.function.arguments.length, 0), 0);
}

function auditAnswer(area: string): string {
  return JSON.stringify({
    area,
    sourceFiles: 12,
    testedFiles: 7,
    gaps: [1, 2, 3].map((i) => ({
      file: `${area}/module${i}.ts`,
      priority: i === 1 ? "high" : "medium",
      why: `The error paths of ${area}/module${i}.ts (retries, partial writes, timeouts) run in production but no test reaches them; a regression there loses data silently.`,
      suggestedTest: `Drive ${area}/module${i}.ts against a fake that fails on the second call and assert the caller sees one clear error and no partial state.`,
    })),
    notes: `Tests for ${area} cover the happy paths; two integration tests are skipped on CI.`,
  });
}

const REPORT = `Coverage is uneven: the core paths are tested, error handling mostly is not.\n\n## Test first\n${Array.from({ length: 10 }, (_, i) => `${i + 1}. area${i}/module1.ts: error paths untested; drive it against a failing fake.`).join("\n")}\n\n## Per area\nEach area's notes are in the table below.`;

async function audit(areas: number, runs: number, log: (line: string) => void): Promise<{ parent: number[]; baseline: number[] }> {
  const { workspace, home } = scratch(`parent-tokens-${areas}`);
  mkdirSync(path.join(workspace, ".agentwf", "agents"), { recursive: true });
  for (const file of readdirSync(path.join(REPO_ROOT, "examples", "agents"))) copyFileSync(path.join(REPO_ROOT, "examples", "agents", file), path.join(workspace, ".agentwf", "agents", file));
  let parentTokens = 0;
  let subAgentResultTokens = 0;
  const server = await startFakeServer((request) => {
    if (isParent(request)) {
      const reply = parentReply(request, CODE);
      parentTokens += tokens(contextChars(request)) + tokens(reply.kind === "tool_calls" ? JSON.stringify(reply.calls[0]?.arguments).length : reply.kind === "text" ? reply.text.length : 0);
      return reply;
    }
    const task = request.body.messages.find((m) => m.role === "user");
    const prompt = task === undefined ? "" : contentText(task);
    let answer: string;
    if (prompt.includes("List the areas of this repository")) answer = JSON.stringify({ areas: Array.from({ length: areas }, (_, i) => `area${i}`) });
    else if (prompt.includes("Audit the test coverage of the area")) answer = auditAnswer(/area `([^`]+)`/.exec(prompt)?.[1] ?? "unknown");
    else if (prompt.includes("These are test-coverage audits")) answer = REPORT;
    else throw new Error(`an unexpected request: ${prompt.slice(0, 200)}`);
    subAgentResultTokens += tokens(answer.length);
    return text(answer);
  });
  const parent: number[] = [];
  const baseline: number[] = [];
  try {
    for (let i = 0; i < runs; i += 1) {
      parentTokens = 0;
      subAgentResultTokens = 0;
      const run = await measure({ command: process.execPath, args: cliArgs("run", "audit test coverage", "-y", "-m", "openai/bench", "-c", "16"), env: cliEnv(home, server.baseUrl), cwd: workspace });
      if (run.exitCode !== 0) throw new Error(`the audit over ${areas} areas failed (exit ${run.exitCode}): ${(run.stderr || run.stdout).slice(-600)}`);
      parent.push(parentTokens);
      baseline.push(parentTokens + subAgentResultTokens);
    }
    log(`parent tokens over ${areas} areas: ${parent.join(", ")}; baseline ${baseline.join(", ")}`);
  } finally {
    await server.close();
  }
  return { parent, baseline };
}

export const parentTokens: Benchmark = {
  id: "8",
  title: "Parent tokens",
  setup:
    "`agentwf run -y`: the parent proposes examples/coverage-audit.js (maxAreas 64); a sub-agent names 4 or 64 areas, one `coverage-auditor` per area answers ~1 KB of JSON, a `report-writer` merges them. " +
    "Parent tokens: every parent request's context plus its answers, at 4 characters a token (the fake server's count). Baseline: the same plus every sub-agent's result, as if each entered the parent's context.",
  async run(context) {
    const runs = Math.min(context.runs, 3);
    const four = await audit(4, runs, context.log);
    const many = await audit(64, runs, context.log);
    const m = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
    return [
      { bench: "8", what: "parent tokens, 4 areas", samples: four.parent, unit: "tokens", note: `baseline ${m(four.baseline).toLocaleString("en-US")} tokens` },
      { bench: "8", what: "parent tokens, 64 areas", samples: many.parent, unit: "tokens", note: `baseline ${m(many.baseline).toLocaleString("en-US")} tokens` },
      { bench: "8", what: "growth from 4 to 64 areas, agentwf (parent tokens at 64 ÷ at 4)", samples: many.parent.map((p, i) => p / four.parent[i]!), unit: "×", target: { max: 1.1, text: "≤ 1.10× (≤ 10 % growth)" } },
      { bench: "8", what: "growth from 4 to 64 areas, baseline (results in the parent's context)", samples: many.baseline.map((p, i) => p / four.baseline[i]!), unit: "×" },
    ];
  },
};
