import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGlobTool } from "../../src/tools/glob.js";
import type { AgentTool } from "../../src/tools/tool.js";
import { createWorkspaceGuard } from "../../src/workspace/workspace-guard.js";
import { createTempWorkspace, idleContext } from "./temp-workspace.js";
import type { TempWorkspace } from "./temp-workspace.js";

let ws: TempWorkspace;
let tool: AgentTool;

beforeEach(async () => {
  ws = await createTempWorkspace();
  tool = createGlobTool(createWorkspaceGuard(ws.root));
  for (const file of ["src/b.ts", "src/a.ts", "src/sub/c.ts", "src/readme.md", ".github/ci.ts", "node_modules/p/i.ts", ".git/hooks/h.ts"]) {
    await ws.write(file, "");
  }
});
afterEach(() => ws.remove());

const run = (args: unknown, target: AgentTool = tool) => target.run(JSON.stringify(args), idleContext());

describe("glob", () => {
  it("returns sorted matches relative to the root, hidden files included, node_modules and .git skipped", async () => {
    await expect(run({ pattern: "**/*.ts" })).resolves.toEqual({ ok: true, output: ".github/ci.ts\nsrc/a.ts\nsrc/b.ts\nsrc/sub/c.ts" });
  });

  it("searches under path but still reports paths relative to the workspace root", async () => {
    await expect(run({ pattern: "*.ts", path: "src" })).resolves.toEqual({ ok: true, output: "src/a.ts\nsrc/b.ts" });
  });

  it("searches inside node_modules when path points into it", async () => {
    await expect(run({ pattern: "**/*.ts", path: "node_modules" })).resolves.toEqual({ ok: true, output: "node_modules/p/i.ts" });
  });

  it("accepts an absolute pattern inside the workspace", async () => {
    await expect(run({ pattern: `${ws.root}/src/*.md` })).resolves.toEqual({ ok: true, output: "src/readme.md" });
  });

  it("caps the results and gives the exact total", async () => {
    const small = createGlobTool(createWorkspaceGuard(ws.root), { maxResults: 2 });
    await expect(run({ pattern: "**/*.ts" }, small)).resolves.toEqual({
      ok: true,
      output: ".github/ci.ts\nsrc/a.ts\n\n[truncated: showing 1-2 of 4; call again with offset 2 to continue]",
      page: { offset: 0, shown: 2, total: 4, nextOffset: 2 },
    });
  });

  it("says so when nothing matches", async () => {
    await expect(run({ pattern: "**/*.py" })).resolves.toEqual({ ok: true, output: '[no files match "**/*.py" under "."]' });
  });

  it("refuses a pattern that climbs out with ..", async () => {
    await expect(run({ pattern: "../outside/*" })).resolves.toEqual({
      ok: false,
      error: 'pattern "../outside/*" climbs out of the search path with ".."; set path to the directory to search and keep the pattern below it',
    });
  });

  it("refuses .. hidden in a brace expansion", async () => {
    const result = await run({ pattern: "{..,src}/*" });
    expect(!result.ok && result.error).toMatch(/climbs out of the search path/);
  });

  it("refuses an absolute pattern outside the workspace", async () => {
    await expect(run({ pattern: "/etc/*" })).resolves.toEqual({
      ok: false,
      error: `pattern "/etc/*" is outside the workspace ${ws.root}; use a pattern relative to the search path`,
    });
  });

  it("refuses a search path outside the workspace", async () => {
    const result = await run({ pattern: "*", path: "../outside" });
    expect(!result.ok && result.error).toBe(`path "../outside" is outside the workspace ${ws.root}; use a path inside it`);
  });

  it("does not follow a symlinked directory that points outside", async () => {
    await ws.write("../outside/leak.ts", "");
    await symlink(ws.outside, path.join(ws.root, "out"));
    const result = await run({ pattern: "**/leak.ts" });
    expect(result).toEqual({ ok: true, output: '[no files match "**/leak.ts" under "."]' });
  });

  it("returns the zod problem for an empty pattern", async () => {
    const result = await run({ pattern: "" });
    expect(!result.ok && result.error).toMatch(/^invalid arguments: pattern: /);
  });

  it("returns a readable error for arguments that are not JSON", async () => {
    const result = await tool.run("{not json", idleContext());
    expect(!result.ok && result.error).toMatch(/^arguments are not valid JSON/);
  });

  it("summarizes a call as pattern and path", () => {
    expect(tool.summarize(JSON.stringify({ pattern: "**/*.ts", path: "src" }))).toBe("glob **/*.ts in src");
  });

  it("lists nothing through a symlinked directory that leads outside, also when the pattern names it (sec/*)", async () => {
    await writeFile(path.join(ws.outside, "secret.txt"), "SECRET");
    await symlink(ws.outside, path.join(ws.root, "sec"));
    await expect(run({ pattern: "sec/*" })).resolves.toEqual({ ok: true, output: '[no files match "sec/*" under "."]' });
    await expect(run({ pattern: "**/*.txt" })).resolves.toEqual({ ok: true, output: '[no files match "**/*.txt" under "."]' });
  });

  it("lists a file symlink whose target is inside the workspace, and not one whose target is outside", async () => {
    await writeFile(path.join(ws.outside, "secret.md"), "SECRET");
    await symlink(path.join(ws.outside, "secret.md"), path.join(ws.root, "src", "out.md"));
    await symlink("readme.md", path.join(ws.root, "src", "in.md"));
    await expect(run({ pattern: "src/*.md" })).resolves.toEqual({ ok: true, output: "src/in.md\nsrc/readme.md" });
  });

  it("leaves out what .gitignore ignores, nested .gitignore files and negations included", async () => {
    await ws.write(".gitignore", "dist/\n*.log\n");
    await ws.write("dist/out.ts", "");
    await ws.write("src/debug.log", "");
    await ws.write("src/sub/.gitignore", "c.ts\n!keep.log\n");
    await ws.write("src/sub/keep.log", "");
    await expect(run({ pattern: "**/*.{ts,log}" })).resolves.toEqual({
      ok: true,
      output: ".github/ci.ts\nsrc/a.ts\nsrc/b.ts\nsrc/sub/keep.log",
    });
  });

  it("uses .git/info/exclude and still searches an ignored directory the path names", async () => {
    await mkdir(path.join(ws.root, ".git", "info"), { recursive: true });
    await ws.write(".git/info/exclude", "generated/\n");
    await ws.write("generated/g.ts", "");
    await expect(run({ pattern: "**/g.ts" })).resolves.toEqual({ ok: true, output: '[no files match "**/g.ts" under "."]' });
    await expect(run({ pattern: "*.ts", path: "generated" })).resolves.toEqual({ ok: true, output: "generated/g.ts" });
  });

  it("pages with offset: the next page starts where the truncation line says, and the last page has no such line", async () => {
    const small = createGlobTool(createWorkspaceGuard(ws.root), { maxResults: 3 });
    const first = await run({ pattern: "**/*" }, small);
    expect(first).toEqual({
      ok: true,
      output: ".github/ci.ts\nsrc/a.ts\nsrc/b.ts\n\n[truncated: showing 1-3 of 5; call again with offset 3 to continue]",
      page: { offset: 0, shown: 3, total: 5, nextOffset: 3 },
    });
    await expect(run({ pattern: "**/*", offset: 3 }, small)).resolves.toEqual({ ok: true, output: "src/readme.md\nsrc/sub/c.ts" });
    await expect(run({ pattern: "**/*", offset: 5 }, small)).resolves.toEqual({
      ok: true,
      output: "[no files at offset 5: there are 5, at offsets 0-4]",
    });
  });

  it("sorts by code point, so a name with an astral character comes after one with U+E000", async () => {
    await ws.write("u/\u{1F600}.ts", "");
    await ws.write("u/\uE000.ts", "");
    await expect(run({ pattern: "u/*" })).resolves.toEqual({ ok: true, output: "u/\uE000.ts\nu/\u{1F600}.ts" });
  });

  it("finds a literal file name", async () => {
    await expect(run({ pattern: "src/readme.md" })).resolves.toEqual({ ok: true, output: "src/readme.md" });
  });

  it("stops 64 levels below the root and says how many directories it did not enter", async () => {
    const deep = Array.from({ length: 66 }, () => "d").join("/");
    await ws.write(`${deep}/x.ts`, "");
    await ws.write("d/y.ts", "");
    await expect(run({ pattern: "d/**/*.ts" })).resolves.toEqual({
      ok: true,
      output: "d/y.ts\n\n[not searched: 1 directory more than 64 levels below the workspace root]",
    });
  });

  it("drops a .gitignore rule with more than two ** (it would cost the depth to that power) and keeps the others", async () => {
    await ws.write(".gitignore", "**/a/**/a/**/z.ts\n*.tmp\n");
    await ws.write("a/a/z.ts", "");
    await ws.write("a/x.tmp", "");
    await expect(run({ pattern: "a/**" })).resolves.toEqual({ ok: true, output: "a/a/z.ts" });
  });
});
