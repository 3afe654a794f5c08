// What glob and grep keep between calls (the pages of a cut result, a listing of the tree) is never
// shown after a write through the tool box: edit_file, write_file, and bash where it can write.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGrepTool } from "../../src/tools/grep.js";
import { createGlobTool } from "../../src/tools/glob.js";
import { createToolBox } from "../../src/tools/tool-box.js";
import type { AgentTool } from "../../src/tools/tool.js";
import { createWorkspaceChanges } from "../../src/tools/workspace-changes.js";
import { createWorkspaceGuard } from "../../src/workspace/workspace-guard.js";
import { createTempWorkspace, idleContext } from "./temp-workspace.js";
import type { TempWorkspace } from "./temp-workspace.js";

let ws: TempWorkspace;
beforeEach(async () => {
  ws = await createTempWorkspace();
  for (const name of ["a", "b", "c"]) await ws.write(`src/${name}.ts`, `import "./${name}-dep";\n`);
});
afterEach(() => ws.remove());

const truncated = (first: number, end: number, total: number) => `[truncated: showing ${first}-${end} of ${total}; call again with offset ${end} to continue]`;

function toolNamed(tools: readonly AgentTool[], name: string): AgentTool {
  const tool = tools.find((t) => t.name === name);
  if (tool === undefined) throw new Error(`no ${name} among ${tools.map((t) => t.name).join(", ")}`);
  return tool;
}

function boxFor(mode: "workspace-write" | "danger-full-access") {
  return createToolBox({ workspace: ws.root, mode, network: false, allowDotEnv: false, env: { PATH: process.env.PATH }, scrub: (t) => t, warn: () => {} });
}

describe("a write through the tool box", () => {
  it("edit_file: the next page of a cut grep is searched afresh, not served from before the edit", async () => {
    const box = boxFor("workspace-write");
    const tools = await box.toolsFor("workspace-write", ["grep", "edit_file"]);
    const grep = (offset: number) => toolNamed(tools, "grep").run(JSON.stringify({ pattern: "import", maxResults: 1, offset }), idleContext());
    await expect(grep(0)).resolves.toMatchObject({ output: `src/a.ts:1: import "./a-dep";\n\n${truncated(1, 1, 3)}` });
    // Same size, same folder: only the tool box can tell that b.ts changed.
    const edit = await toolNamed(tools, "edit_file").run(JSON.stringify({ path: "src/b.ts", old_string: "import", new_string: "export" }), idleContext());
    expect(edit.ok).toBe(true);
    await expect(grep(1)).resolves.toEqual({ ok: true, output: 'src/c.ts:1: import "./c-dep";' });
    box.dispose();
  });

  it("write_file: a new file is in the next page of a cut glob", async () => {
    const box = boxFor("workspace-write");
    const tools = await box.toolsFor("workspace-write", ["grep", "write_file"]);
    const grep = (offset: number) => toolNamed(tools, "grep").run(JSON.stringify({ pattern: "import", maxResults: 2, offset }), idleContext());
    await expect(grep(0)).resolves.toMatchObject({ output: `src/a.ts:1: import "./a-dep";\nsrc/b.ts:1: import "./b-dep";\n\n${truncated(1, 2, 3)}` });
    const write = await toolNamed(tools, "write_file").run(JSON.stringify({ path: "src/bb.ts", content: 'import "./bb-dep";\n' }), idleContext());
    expect(write.ok).toBe(true);
    await expect(grep(2)).resolves.toMatchObject({ output: `src/bb.ts:1: import "./bb-dep";\nsrc/c.ts:1: import "./c-dep";` });
    box.dispose();
  });

  it("bash where it can write: the next page is searched afresh after each command", async () => {
    const box = boxFor("danger-full-access");
    const tools = await box.toolsFor("danger-full-access", ["grep", "bash"]);
    const grep = (offset: number) => toolNamed(tools, "grep").run(JSON.stringify({ pattern: "import", maxResults: 1, offset }), idleContext());
    await expect(grep(0)).resolves.toMatchObject({ output: `src/a.ts:1: import "./a-dep";\n\n${truncated(1, 1, 3)}` });
    const bash = await toolNamed(tools, "bash").run(JSON.stringify({ command: "printf 'nothing\\n' > src/b.ts" }), { ...idleContext(), agentId: "agent-1" });
    expect(bash.ok).toBe(true);
    await expect(grep(1)).resolves.toEqual({ ok: true, output: 'src/c.ts:1: import "./c-dep";' });
    box.dispose();
  });
});

describe("page snapshots and the count of writes", () => {
  it("glob: a page after the count moved lists afresh; before it, the snapshot serves", async () => {
    const changes = createWorkspaceChanges();
    const glob = createGlobTool(createWorkspaceGuard(ws.root), { maxResults: 2 }, { changes });
    const call = (offset: number) => glob.run(JSON.stringify({ pattern: "**/*.ts", offset }), idleContext());
    await expect(call(0)).resolves.toMatchObject({ output: `src/a.ts\nsrc/b.ts\n\n${truncated(1, 2, 3)}` });
    await ws.write("src/aa.ts", "");
    await expect(call(2)).resolves.toEqual({ ok: true, output: "src/c.ts" });
    changes.changed();
    await expect(call(2)).resolves.toMatchObject({ output: `src/b.ts\nsrc/c.ts` });
  });

  it("grep: a page after the count moved searches the files afresh", async () => {
    const changes = createWorkspaceChanges();
    const grep = createGrepTool(createWorkspaceGuard(ws.root), { maxResults: 1 }, {}, { changes });
    const call = (offset: number) => grep.run(JSON.stringify({ pattern: "import", offset }), idleContext());
    await expect(call(0)).resolves.toMatchObject({ output: `src/a.ts:1: import "./a-dep";\n\n${truncated(1, 1, 3)}` });
    changes.changed();
    await ws.write("src/a.ts", "nothing\n");
    await expect(call(1)).resolves.toMatchObject({ output: `src/c.ts:1: import "./c-dep";` });
  });
});
