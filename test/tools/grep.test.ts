import { execFileSync } from "node:child_process";
import { symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGrepTool } from "../../src/tools/grep.js";
import type { AgentTool } from "../../src/tools/tool.js";
import { createWorkspaceGuard } from "../../src/workspace/workspace-guard.js";
import { createTempWorkspace, idleContext } from "./temp-workspace.js";
import type { TempWorkspace } from "./temp-workspace.js";

let ws: TempWorkspace;
let tool: AgentTool;

beforeEach(async () => {
  ws = await createTempWorkspace();
  tool = createGrepTool(createWorkspaceGuard(ws.root));
});
afterEach(() => ws.remove());

const run = (args: unknown, target: AgentTool = tool) => target.run(JSON.stringify(args), idleContext());

describe("grep", () => {
  it("prints path:line: text for each matching line, files in sorted order", async () => {
    await ws.write("src/b.ts", "const x = 1;\nexport function beta() {}\n");
    await ws.write("src/a.ts", "export function alpha() {}\r\n");
    await expect(run({ pattern: "export function \\w+" })).resolves.toEqual({
      ok: true,
      output: "src/a.ts:1: export function alpha() {}\nsrc/b.ts:2: export function beta() {}",
    });
  });

  it("matches without regard to case when ignoreCase is set", async () => {
    await ws.write("a.txt", "TODO one\ntodo two\n");
    await expect(run({ pattern: "todo" })).resolves.toEqual({ ok: true, output: "a.txt:2: todo two" });
    await expect(run({ pattern: "todo", ignoreCase: true })).resolves.toEqual({ ok: true, output: "a.txt:1: TODO one\na.txt:2: todo two" });
  });

  it("searches only files matching the glob filter, under path", async () => {
    await ws.write("src/a.ts", "needle\n");
    await ws.write("src/a.md", "needle\n");
    await ws.write("lib/b.ts", "needle\n");
    await expect(run({ pattern: "needle", path: "src", glob: "**/*.ts" })).resolves.toEqual({ ok: true, output: "src/a.ts:1: needle" });
  });

  it("searches a single file when path names one", async () => {
    await ws.write("a.txt", "x\nneedle\n");
    await expect(run({ pattern: "needle", path: "a.txt" })).resolves.toEqual({ ok: true, output: "a.txt:2: needle" });
  });

  it("skips node_modules and .git", async () => {
    await ws.write("node_modules/p/i.js", "needle\n");
    await ws.write(".git/config", "needle\n");
    await ws.write("a.js", "needle\n");
    await expect(run({ pattern: "needle" })).resolves.toEqual({ ok: true, output: "a.js:1: needle" });
  });

  it("returns a tool error naming the problem for an invalid regex", async () => {
    await expect(run({ pattern: "foo(" })).resolves.toEqual({
      ok: false,
      error:
        "pattern is not a valid RE2 regular expression (error parsing regexp: missing closing ): `foo(`); " +
        "escape characters such as ( ) [ ] { } . * + ? \\ with a backslash to match them literally",
    });
  });

  it("caps matches at the default of 200 and gives the exact total", async () => {
    await ws.write("a.txt", Array.from({ length: 150 }, () => "hit").join("\n"));
    await ws.write("b.txt", Array.from({ length: 150 }, () => "hit").join("\n"));
    const result = await run({ pattern: "hit" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const lines = result.output.split("\n");
    expect(lines[199]).toBe("b.txt:50: hit");
    expect(lines.at(-1)).toBe("[truncated: showing 1-200 of 300; call again with offset 200 to continue]");
    expect(result.page).toEqual({ offset: 0, shown: 200, total: 300, nextOffset: 200 });
  });

  it("caps matches at maxResults when the call sets it", async () => {
    await ws.write("a.txt", "hit\nhit\nhit\n");
    await expect(run({ pattern: "hit", maxResults: 2 })).resolves.toEqual({
      ok: true,
      output: "a.txt:1: hit\na.txt:2: hit\n\n[truncated: showing 1-2 of 3; call again with offset 2 to continue]",
      page: { offset: 0, shown: 2, total: 3, nextOffset: 2 },
    });
  });

  it("refuses maxResults above the ceiling as an argument error", async () => {
    const result = await run({ pattern: "x", maxResults: 5000 });
    expect(!result.ok && result.error).toMatch(/^invalid arguments: maxResults: /);
  });

  it("skips binary files and files over the size limit and counts them", async () => {
    await ws.write("bin.dat", new Uint8Array([0x6e, 0x65, 0x65, 0x64, 0x6c, 0x65, 0x00]));
    await ws.write("big.txt", `needle\n${"x".repeat(200)}`);
    await ws.write("ok.txt", "needle\n");
    const small = createGrepTool(createWorkspaceGuard(ws.root), { maxFileBytes: 100 });
    await expect(run({ pattern: "needle" }, small)).resolves.toEqual({
      ok: true,
      output: "ok.txt:1: needle\n\n[not searched: 1 binary file, 1 file over 100 B]",
    });
  });

  it("shows a window of a long line around the match", async () => {
    await ws.write("min.js", `${"a".repeat(5000)}needle${"b".repeat(5000)}`);
    const result = await run({ pattern: "needle" });
    expect(result.ok).toBe(true);
    expect(result.ok && result.output).toBe(
      `min.js:1: … ${"a".repeat(125)}needle${"b".repeat(369)} … [line cut: characters 4876-5375 of 10006 shown]`,
    );
  });

  it("says so when nothing matches, with the number of files searched", async () => {
    await ws.write("a.txt", "x\n");
    await expect(run({ pattern: "needle" })).resolves.toEqual({ ok: true, output: '[no matches for /needle/ in 1 file under "."]' });
  });

  it("refuses a path outside the workspace and a symlink pointing outside", async () => {
    await expect(run({ pattern: "x", path: "../outside" })).resolves.toEqual({
      ok: false,
      error: `path "../outside" is outside the workspace ${ws.root}; use a path inside it`,
    });
    await writeFile(path.join(ws.outside, "secret.txt"), "needle\n");
    await symlink(path.join(ws.outside, "secret.txt"), path.join(ws.root, "link.txt"));
    const viaLink = await run({ pattern: "needle", path: "link.txt" });
    expect(!viaLink.ok && viaLink.error).toMatch(/leads through a symbolic link/);
  });

  it("refuses a glob filter that climbs out of the search path", async () => {
    const result = await run({ pattern: "x", glob: "../**/*" });
    expect(!result.ok && result.error).toMatch(/climbs out of the search path/);
  });

  it("stops with an error when the signal is already aborted", async () => {
    await ws.write("a.txt", "needle\n");
    const controller = new AbortController();
    controller.abort();
    const result = await tool.run(JSON.stringify({ pattern: "needle" }), { signal: controller.signal });
    expect(result).toEqual({ ok: false, error: "search stopped: the run was aborted" });
  });

  it("returns a readable error for arguments that are not JSON", async () => {
    const result = await tool.run("{not json", idleContext());
    expect(!result.ok && result.error).toMatch(/^arguments are not valid JSON/);
  });

  it("does not read through a symlinked directory that leads outside (glob sec/*)", async () => {
    await writeFile(path.join(ws.outside, "secret.txt"), "SECRET=outside\n");
    await symlink(ws.outside, path.join(ws.root, "sec"));
    await ws.write("inside.txt", "SECRET=inside\n");
    await expect(run({ pattern: "SECRET", glob: "sec/*" })).resolves.toEqual({ ok: true, output: '[no matches for /SECRET/ in 0 files under "."]' });
    await expect(run({ pattern: "SECRET" })).resolves.toEqual({ ok: true, output: "inside.txt:1: SECRET=inside" });
  });

  it("answers a catastrophic-backtracking pattern in linear time: ^(a+)+$ over 40 a's and a b", async () => {
    await ws.write("evil.txt", `${"a".repeat(40)}b\n${"a".repeat(40)}\n`);
    await expect(run({ pattern: "^(a+)+$" })).resolves.toEqual({ ok: true, output: `evil.txt:2: ${"a".repeat(40)}` });
  });

  it("tells the model to do without lookaround, which RE2 does not have", async () => {
    const result = await run({ pattern: "foo(?!bar)" });
    expect(result).toEqual({
      ok: false,
      error:
        "pattern is not a valid RE2 regular expression (error parsing regexp: invalid or unsupported Perl syntax: `(?!`); " +
        "grep matches in linear time and has no lookahead or lookbehind: match the text itself and filter the lines, or run two searches",
    });
  });

  it("tells the model to do without backreferences", async () => {
    const result = await run({ pattern: "(a)\\1" });
    expect(!result.ok && result.error).toBe(
      "pattern is not a valid RE2 regular expression (error parsing regexp: invalid escape sequence: `\\1`); " +
        "grep matches in linear time and has no backreferences (\\1): spell out the repeated text, or search for one part and read the lines",
    );
  });

  it("passes over a FIFO in a directory, and refuses to read one named as the path, without hanging", async () => {
    execFileSync("mkfifo", [path.join(ws.root, "pipe")]);
    await ws.write("a.txt", "needle\n");
    await expect(run({ pattern: "needle" })).resolves.toEqual({ ok: true, output: "a.txt:1: needle" });
    await expect(run({ pattern: "needle", path: "pipe" })).resolves.toEqual({
      ok: true,
      output: '[no matches for /needle/ in 0 files under "pipe"]\n[not searched: 1 FIFO, socket or device]',
    });
  });

  it("leaves out files .gitignore ignores", async () => {
    await ws.write(".gitignore", "dist/\n");
    await ws.write("dist/a.js", "needle\n");
    await ws.write("src/a.js", "needle\n");
    await expect(run({ pattern: "needle" })).resolves.toEqual({ ok: true, output: "src/a.js:1: needle" });
  });

  it("pages matches ordered by path then line, with the skipped-files note before the truncation line", async () => {
    await ws.write("b.txt", "hit 1\nhit 2\n");
    await ws.write("a.txt", "hit 1\nhit 2\n");
    await ws.write("bin.dat", new Uint8Array([0x68, 0x69, 0x74, 0x00]));
    await expect(run({ pattern: "hit", maxResults: 2, offset: 1 })).resolves.toEqual({
      ok: true,
      output: "a.txt:2: hit 2\nb.txt:1: hit 1\n\n[not searched: 1 binary file]\n\n[truncated: showing 2-3 of 4; call again with offset 3 to continue]",
      page: { offset: 1, shown: 2, total: 4, nextOffset: 3 },
    });
  });

  it("looks at the signal between chunks of 2000 lines, so an abort stops a long scan part-way", async () => {
    await ws.write("big.txt", "line\n".repeat(50_000));
    // A signal that reads as aborted from its third look on: the first look is before the file,
    // the second after 2000 lines, the third after 4000 (one line of that chunk not yet matched).
    let looks = 0;
    const signal = { get aborted() { return (looks += 1) >= 3; } } as unknown as AbortSignal;
    const result = await tool.run(JSON.stringify({ pattern: "line", path: "big.txt" }), { signal });
    expect(result).toEqual({ ok: false, error: "grep stopped: the run was aborted after 3999 matches" });
  });
});
