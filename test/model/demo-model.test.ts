import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runAgentLoop } from "../../src/agent/agent-loop.js";
import type { Finding } from "../../src/model/demo/audit.js";
import { createDemoModel, DEMO_AUDIT_MARKER, DEMO_IMPORTS_MARKER, demoWorkflow } from "../../src/model/demo-model.js";
import { createReadOnlyTools } from "../../src/tools/read-only-tools.js";
import type { AgentTool, ToolOutcome } from "../../src/tools/tool.js";
import { DEFAULT_LIMITS } from "../../src/config/limits.js";
import { validateWorkflow } from "../../src/workflow/validate.js";

const FIXTURES = path.join(import.meta.dirname, "..", "fixtures");
const pkg = (dir = ".", exclude: string[] = []) => ({ dir, label: "pkg", kind: "npm", exclude, role: "audit" as const });

async function audit(tools: readonly AgentTool[], payload: unknown): Promise<{ finding: Finding; calls: string[] }> {
  const calls: string[] = [];
  const outcome = await runAgentLoop({
    agentId: "a1",
    model: createDemoModel(),
    systemPrompt: "- Workspace root: /w (tool paths are relative to it)",
    prompt: `${DEMO_AUDIT_MARKER} audit\n${JSON.stringify(payload)}`,
    tools,
    maxTurns: 30,
    emit: (event) => {
      if (event.type === "tool_start") calls.push(`${event.tool} ${event.summary}`);
    },
    signal: new AbortController().signal,
  });
  if (!outcome.ok) throw new Error(outcome.error);
  return { finding: JSON.parse(outcome.text) as Finding, calls };
}

describe("the demo sub-agent, through the agent loop and the real tools", () => {
  it("audits mirrored test trees, test-named files and root-level files", async () => {
    const { finding } = await audit(createReadOnlyTools(path.join(FIXTURES, "demo-mirrored")), { package: pkg(), npm: [], imported: [] });
    expect(finding.untested).toEqual(["lib/arguments/specific.js", "lib/other/cwd.js"]);
    expect([finding.sourceFiles, finding.testedByName, finding.testedByImport]).toEqual([9, 5, 2]);
  });

  it("audits Python packages through their imports", async () => {
    const { finding } = await audit(createReadOnlyTools(path.join(FIXTURES, "demo-python")), { package: pkg(), npm: [], imported: [] });
    expect(finding.untested).toEqual(["src/pkg/_internal.py"]);
    expect([finding.sourceFiles, finding.testedByName, finding.testedByImport]).toEqual([5, 1, 3]);
  });

  it("audits Go packages: a _test.go file covers its folder", async () => {
    const { finding } = await audit(createReadOnlyTools(path.join(FIXTURES, "demo-go")), { package: pkg(), npm: [], imported: [] });
    expect(finding.untested).toEqual(["internal/flags/flags.go"]);
    expect([finding.sourceFiles, finding.testedByName, finding.testedByGoPackage]).toEqual([4, 2, 1]);
  });

  it("keeps names with | and backticks whole", async () => {
    const { finding } = await audit(createReadOnlyTools(path.join(FIXTURES, "demo-odd-names")), { package: pkg(), npm: [], imported: [] });
    expect(finding.untested).toEqual(["src/a|b.ts", "src/tick`name.ts"]);
  });

  it("counts imports from other packages' tests that the workflow passes in", async () => {
    const payload = { package: pkg("packages/utils"), npm: [], imported: ["exact:packages/utils/src/unused"] };
    const { finding } = await audit(createReadOnlyTools(path.join(FIXTURES, "demo-monorepo")), payload);
    expect(finding.untested).toEqual(["packages/utils/src/diff.ts", "packages/utils/src/index.ts"]);
    expect(finding.testedByImport).toBe(1);
  });

  it("counts a package tested only through its own name (vitest-style: exports to dist/, the source from the root tsconfig's paths)", async () => {
    const root = path.join(FIXTURES, "demo-vitest-style");
    // The parent reads the manifests and the tsconfig, and proposes the workflow: the workflow tool here only keeps its code.
    let code = "";
    const workflowTool: AgentTool = {
      name: "workflow",
      spec: { name: "workflow", description: "runs a workflow", parameters: { type: "object" } },
      async run(raw) {
        code = String((JSON.parse(raw) as { code?: unknown }).code ?? "");
        return { ok: true, output: "Error: not run in this test" };
      },
      summarize: () => "workflow",
    };
    const parent = await runAgentLoop({
      agentId: "parent",
      model: createDemoModel(),
      systemPrompt: "- Workspace root: /w (tool paths are relative to it)",
      prompt: "audit test coverage",
      tools: [...createReadOnlyTools(root), workflowTool],
      maxTurns: 10,
      emit: () => undefined,
      signal: new AbortController().signal,
    });
    expect(parent.ok).toBe(true);
    const npm = JSON.parse(/const npm = (.*);/.exec(code)?.[1] ?? "null") as Array<{ dir: string }>;
    expect(npm).toEqual([
      { name: "vitest-style-monorepo", dir: ".", exports: {}, entries: [] },
      { name: "vitest", dir: "packages/vitest", exports: { ".": ["./dist/index.d.ts", "./dist/index.js"], "./node": ["./dist/node.d.ts", "./dist/node.js"] }, entries: ["./dist/index.js"] },
      { name: "vitest", dir: "packages/vitest", exports: { ".": ["./src/public/index.ts"] }, entries: [] },
      { name: "vitest/node", dir: "packages/vitest", exports: { ".": ["./src/public/node.ts"] }, entries: [] },
    ]);
    // The package's audit, with the npm entries the workflow gives it (its own folder's).
    const payload = { package: pkg("packages/vitest"), npm: npm.filter((p) => p.dir === "packages/vitest"), imported: [] };
    const { finding } = await audit(createReadOnlyTools(root), payload);
    expect(finding.untested).toEqual(["packages/vitest/src/node/server.ts", "packages/vitest/src/unused.ts"]);
    expect([finding.sourceFiles, finding.testedByName, finding.testedByImport]).toEqual([5, 0, 3]);
  });

  it("reports the imports a test package makes into other packages", async () => {
    const outcome = await runAgentLoop({
      agentId: "a1",
      model: createDemoModel(),
      systemPrompt: "",
      prompt: `${DEMO_IMPORTS_MARKER} imports\n${JSON.stringify({
        package: pkg("packages/app"),
        npm: [{ name: "@mono/utils", dir: "packages/utils", exports: { "./diff": ["./dist/diff.js"] }, entries: [] }],
        owners: [".", "packages/app", "packages/utils"],
      })}`,
      tools: createReadOnlyTools(path.join(FIXTURES, "demo-monorepo")),
      maxTurns: 30,
      emit: () => undefined,
      signal: new AbortController().signal,
    });
    expect(outcome.ok && JSON.parse(outcome.text)).toEqual({
      label: "pkg",
      dir: "packages/app",
      testFiles: 2,
      refs: { "packages/utils": ["exact:packages/utils/dist/diff", "exact:packages/utils/src/diff", "exact:packages/utils/source/diff"] },
      incomplete: [],
    });
  });
});

// Tools over an in-memory tree that page as glob, grep and list_dir do: the last line of a cut
// result is "[truncated: showing A-B of T; call again with offset B to continue]".
function pagingTools(files: ReadonlyMap<string, string>, pageSize: number): AgentTool[] {
  const all = [...files.keys()].sort();
  const page = (lines: readonly string[], offset: number): ToolOutcome => {
    const shown = lines.slice(offset, offset + pageSize);
    const end = offset + shown.length;
    const notice = end < lines.length ? `\n\n[truncated: showing ${offset + 1}-${end} of ${lines.length}; call again with offset ${end} to continue]` : "";
    return { ok: true, output: `${shown.join("\n")}${notice}` };
  };
  const under = (dir: string) => all.filter((file) => dir === "." || file.startsWith(`${dir}/`));
  const relative = (dir: string, file: string) => (dir === "." ? file : file.slice(dir.length + 1));
  const tool = (name: string, run: (args: Record<string, unknown>) => ToolOutcome): AgentTool => ({
    name,
    spec: { name, description: name, parameters: {} },
    run: async (raw) => run(JSON.parse(raw) as Record<string, unknown>),
    summarize: (raw) => raw,
  });
  return [
    tool("glob", ({ path: dir, offset }) => page(under(String(dir)).filter((f) => /\.(ts|js|py|go)$/.test(f)), Number(offset ?? 0))),
    tool("list_dir", ({ path: dir, offset }) => {
      const entries = new Set(under(String(dir)).map((f) => relative(String(dir), f)).map((rest) => (rest.includes("/") ? `${rest.split("/")[0]}/` : rest)));
      return page([...entries].sort(), Number(offset ?? 0));
    }),
    tool("grep", ({ pattern, path: target, glob, offset }) => {
      const regex = new RegExp(String(pattern));
      const names = typeof glob === "string" ? glob.slice(1, -1).split(",") : undefined;
      const searched = files.has(String(target)) ? [String(target)] : under(String(target)).filter((f) => names?.includes(relative(String(target), f)) ?? true);
      const hits = searched.flatMap((file) => (files.get(file) ?? "").split("\n").flatMap((line, i) => (regex.test(line) ? [`${file}:${i + 1}: ${line}`] : [])));
      return page(hits, Number(offset ?? 0));
    }),
  ];
}

function readTree(root: string, dir = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir === "" ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) for (const [k, v] of readTree(root, rel)) out.set(k, v);
    else out.set(rel, readFileSync(path.join(root, rel), "utf8"));
  }
  return out;
}

describe("paging", () => {
  const tree = readTree(path.join(FIXTURES, "demo-mirrored"));

  it("finds the same files whether the tools page every 2 results or not at all", async () => {
    const whole = await audit(pagingTools(tree, 10_000), { package: pkg(), npm: [], imported: [] });
    const paged = await audit(pagingTools(tree, 2), { package: pkg(), npm: [], imported: [] });
    expect(paged.finding).toEqual(whole.finding);
    expect(paged.finding.untested).toEqual(["lib/arguments/specific.js", "lib/other/cwd.js"]);
    expect(paged.calls.filter((c) => c.includes('"offset"')).length).toBeGreaterThan(5);
  });

  it("pages through a listing of many pages rather than splitting it into folders", async () => {
    const big = new Map(tree);
    for (let i = 0; i < 40; i += 1) big.set(`lib/many/sub${i % 4}/f${i}.js`, "");
    const { finding, calls } = await audit(pagingTools(big, 5), { package: pkg(), npm: [], imported: [] });
    expect(finding.sourceFiles).toBe(49);
    expect(finding.untested).toHaveLength(42);
    const lib = calls.filter((c) => c.startsWith('glob {"pattern":"**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,py,go}","path":"lib"'));
    expect(lib).toEqual([
      'glob {"pattern":"**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,py,go}","path":"lib"}',
      ...Array.from({ length: 9 }, (_, i) => `glob {"pattern":"**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,py,go}","path":"lib","offset":${(i + 1) * 5}}`),
    ]);
    expect(calls.filter((c) => c.startsWith("list_dir"))).toEqual(['list_dir {"path":"."}', 'list_dir {"path":".","offset":5}']);
  });

  it("says the scan is incomplete when it runs out of turns", async () => {
    const outcome = await runAgentLoop({
      agentId: "a1",
      model: createDemoModel(),
      systemPrompt: "",
      prompt: `${DEMO_AUDIT_MARKER} audit\n${JSON.stringify({ package: pkg(), npm: [], imported: [] })}`,
      tools: pagingTools(tree, 1),
      maxTurns: 2,
      emit: () => undefined,
      signal: new AbortController().signal,
    });
    const finding = (outcome.ok ? JSON.parse(outcome.text) : undefined) as Finding | undefined;
    expect(finding?.incomplete[0]).toMatch(/^out of turns with \d+ tool calls still to make$/);
  });
});

describe("demoWorkflow", () => {
  const npm = [{ name: "@x/a", dir: "packages/a", exports: {}, entries: [] }];

  it("passes validateWorkflow with one package and with several", () => {
    for (const packages of [[pkg()], [pkg(".", ["packages/a"]), pkg("packages/a"), { ...pkg("test/e2e"), role: "tests" as const }]]) {
      const result = validateWorkflow(demoWorkflow(packages, npm), DEFAULT_LIMITS.maxCodeBytes);
      expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(result.ok).toBe(true);
    }
  });

  it("still passes when package names hold quotes, backslashes and ${...}", () => {
    const odd = { ...pkg(), label: 'we"ird \\ ${process} `tick`' };
    const code = demoWorkflow([odd], []);
    expect(validateWorkflow(code, DEFAULT_LIMITS.maxCodeBytes).ok).toBe(true);
    expect(code).toContain(`const packages = ${JSON.stringify([odd])};`);
  });

  it("fans out once for one package, and twice (imports, then audit) for several", () => {
    const one = demoWorkflow([pkg()], []);
    expect(one.split("wf.mapAgents(").length - 1).toBe(1);
    expect(one).not.toContain(DEMO_IMPORTS_MARKER);
    const several = demoWorkflow([pkg(), pkg("packages/a")], npm);
    expect(several.split("wf.mapAgents(").length - 1).toBe(2);
    expect(several.indexOf(DEMO_IMPORTS_MARKER)).toBeLessThan(several.indexOf(DEMO_AUDIT_MARKER));
  });
});
