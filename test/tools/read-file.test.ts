import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createReadFileTool } from "../../src/tools/read-file.js";
import type { AgentTool } from "../../src/tools/tool.js";
import { createWorkspaceGuard } from "../../src/workspace/workspace-guard.js";
import { createTempWorkspace, idleContext } from "./temp-workspace.js";
import type { TempWorkspace } from "./temp-workspace.js";

let ws: TempWorkspace;
let tool: AgentTool;

beforeEach(async () => {
  ws = await createTempWorkspace();
  tool = createReadFileTool(createWorkspaceGuard(ws.root));
});
afterEach(() => ws.remove());

const run = (args: unknown, target: AgentTool = tool) => target.run(JSON.stringify(args), idleContext());
const numberedLines = (count: number) => Array.from({ length: count }, (_, i) => `line ${i + 1}`).join("\n");

describe("read_file", () => {
  it("numbers lines with right-aligned numbers and a tab, with no notice when the whole file fits", async () => {
    await ws.write("a.txt", numberedLines(10) + "\n");
    const result = await run({ path: "a.txt" });
    expect(result).toEqual({ ok: true, output: Array.from({ length: 10 }, (_, i) => `${String(i + 1).padStart(2)}\tline ${i + 1}`).join("\n") });
  });

  it("reads the line range given by offset and limit and names the next offset", async () => {
    await ws.write("a.txt", numberedLines(120));
    const result = await run({ path: "a.txt", offset: 10, limit: 5 });
    expect(result).toEqual({
      ok: true,
      output: "10\tline 10\n11\tline 11\n12\tline 12\n13\tline 13\n14\tline 14\n\n[lines 10-14 of 120 shown; call read_file with offset=15 to read on]",
    });
  });

  it("stops at 2000 lines by default with an exact notice", async () => {
    await ws.write("big.txt", numberedLines(2500));
    const result = await run({ path: "big.txt" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const lines = result.output.split("\n");
    expect(lines[1999]).toBe("2000\tline 2000");
    expect(lines.at(-1)).toBe("[lines 1-2000 of 2500 shown (2000-line limit per call); call read_file with offset=2001 to read on]");
  });

  it("caps a limit above the line ceiling at the ceiling and says so", async () => {
    await ws.write("big.txt", numberedLines(30));
    const small = createReadFileTool(createWorkspaceGuard(ws.root), { maxLines: 20 });
    const result = await run({ path: "big.txt", limit: 25 }, small);
    expect(result.ok && result.output.split("\n").at(-1)).toBe(
      "[lines 1-20 of 30 shown (20-line limit per call); call read_file with offset=21 to read on]",
    );
  });

  it("stops at the byte limit on a whole line and names the next offset", async () => {
    await ws.write("a.txt", Array.from({ length: 50 }, () => "x".repeat(9)).join("\n"));
    const small = createReadFileTool(createWorkspaceGuard(ws.root), { maxBytes: 100 });
    const result = await run({ path: "a.txt" }, small);
    // Lines 1-10 are read, so numbers are two wide: " 1\txxxxxxxxx" is 12 bytes and each further
    // line 13 with its newline; 12 + 6 * 13 = 90 fits, one more line would make 103.
    expect(result.ok && result.output).toBe(
      `${Array.from({ length: 7 }, (_, i) => ` ${i + 1}\t${"x".repeat(9)}`).join("\n")}\n\n` +
        "[lines 1-7 of 50 shown (100 B limit per call); call read_file with offset=8 to read on]",
    );
  });

  it("shows the last part from an offset without a notice when it reaches the end", async () => {
    await ws.write("a.txt", numberedLines(5));
    await expect(run({ path: "a.txt", offset: 4 })).resolves.toEqual({ ok: true, output: "4\tline 4\n5\tline 5" });
  });

  it("numbers lines correctly across read chunks in a file larger than one chunk", async () => {
    const lines = Array.from({ length: 30000 }, (_, i) => `${i + 1}:${"y".repeat(i % 37)}`);
    await ws.write("large.txt", lines.join("\n") + "\n");
    const result = await run({ path: "large.txt", offset: 29998, limit: 3 });
    expect(result).toEqual({
      ok: true,
      output: `29998\t${lines[29997]}\n29999\t${lines[29998]}\n30000\t${lines[29999]}`,
    });
  });

  it("strips the carriage return of CRLF line endings", async () => {
    await ws.write("crlf.txt", "a\r\nb\r\n");
    await expect(run({ path: "crlf.txt" })).resolves.toEqual({ ok: true, output: "1\ta\n2\tb" });
  });

  it("cuts lines longer than 2000 characters with a marker", async () => {
    await ws.write("long.txt", "z".repeat(2500));
    const result = await run({ path: "long.txt" });
    expect(result).toEqual({ ok: true, output: `1\t${"z".repeat(2000)} … [line cut: first 2000 characters of 2500 characters shown]` });
  });

  it("gives the byte size of a line too long to keep in memory", async () => {
    await ws.write("huge-line.txt", "z".repeat(100_000));
    const result = await run({ path: "huge-line.txt" });
    expect(result.ok && result.output.endsWith(" … [line cut: first 2000 characters of 100000 bytes shown]")).toBe(true);
  });

  it("reports an empty file as empty", async () => {
    await ws.write("empty.txt", "");
    await expect(run({ path: "empty.txt" })).resolves.toEqual({ ok: true, output: '[the file "empty.txt" is empty]' });
  });

  it("refuses an offset past the end and gives the valid range", async () => {
    await ws.write("a.txt", numberedLines(3));
    await expect(run({ path: "a.txt", offset: 9 })).resolves.toEqual({
      ok: false,
      error: 'offset 9 is past the end of "a.txt" (3 lines); pass an offset from 1 to 3',
    });
  });

  it("refuses a binary file with a NUL byte in its first 8 KB", async () => {
    await ws.write("image.png", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    await expect(run({ path: "image.png" })).resolves.toEqual({
      ok: false,
      error: '"image.png" is a binary file (it has a NUL byte in its first 8 KB); read_file reads text only',
    });
  });

  it("refuses a directory and points to list_dir", async () => {
    await mkdir(path.join(ws.root, "src"));
    await expect(run({ path: "src" })).resolves.toEqual({ ok: false, error: '"src" is a directory; use list_dir to see its entries' });
  });

  it("refuses a file over the size cap and points to grep", async () => {
    await ws.write("a.txt", "0123456789abc");
    const small = createReadFileTool(createWorkspaceGuard(ws.root), { maxFileBytes: 10 });
    await expect(run({ path: "a.txt" }, small)).resolves.toEqual({
      ok: false,
      error: '"a.txt" is 13 B, over the 10 B limit for read_file; use grep to find the lines you need',
    });
  });

  it("reports a missing file with a hint instead of an fs error code", async () => {
    await expect(run({ path: "nope.txt" })).resolves.toEqual({
      ok: false,
      error: '"nope.txt" does not exist; check the name with list_dir or glob',
    });
  });

  it("refuses a path outside the workspace", async () => {
    const result = await run({ path: "../outside/x.txt" });
    expect(result).toEqual({ ok: false, error: `path "../outside/x.txt" is outside the workspace ${ws.root}; use a path inside it` });
  });

  it("refuses a symlink pointing outside and reads one pointing inside", async () => {
    await writeFile(path.join(ws.outside, "secret.txt"), "secret");
    await symlink(path.join(ws.outside, "secret.txt"), path.join(ws.root, "out.txt"));
    await ws.write("real.txt", "hello");
    await symlink(path.join(ws.root, "real.txt"), path.join(ws.root, "in.txt"));
    const outside = await run({ path: "out.txt" });
    expect(outside.ok).toBe(false);
    expect(!outside.ok && outside.error).toMatch(/leads through a symbolic link/);
    await expect(run({ path: "in.txt" })).resolves.toEqual({ ok: true, output: "1\thello" });
  });

  it("returns a readable error for arguments that are not JSON", async () => {
    const result = await tool.run("{not json", idleContext());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^arguments are not valid JSON \(.+\); send one JSON object$/);
  });

  it("returns the zod problem by field for a wrong argument", async () => {
    const result = await run({ path: "a.txt", offset: 0 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^invalid arguments: offset: /);
    const missing = await run({});
    expect(!missing.ok && missing.error).toMatch(/^invalid arguments: path: /);
  });

  it("summarizes a call as path and line range", () => {
    expect(tool.summarize(JSON.stringify({ path: "src/a.ts", limit: 200 }))).toBe("read_file src/a.ts:1-200");
    expect(tool.summarize(JSON.stringify({ path: "src/a.ts" }))).toBe("read_file src/a.ts");
  });

  it("tells the model its limits in the description", () => {
    expect(tool.spec.description).toContain("At most 2000 lines or 50 KB per call");
    expect(tool.spec.parameters).toMatchObject({ required: ["path"] });
  });
});
