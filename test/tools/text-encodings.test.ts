// What read_file and grep show for text that is not plain UTF-8, and for huge files: exactly what the
// model sees. Text is decoded as UTF-8 with invalid bytes replaced by U+FFFD (latin-1 accents
// included: there is no guessing of encodings); a NUL byte in the first 8 KB makes a file binary,
// which is what UTF-16 text with ASCII in it is, so it is refused by read_file and skipped (and
// counted) by grep; huge lines and files are cut or skipped with a visible marker.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGrepTool } from "../../src/tools/grep.js";
import { createReadFileTool } from "../../src/tools/read-file.js";
import type { AgentTool } from "../../src/tools/tool.js";
import { createWorkspaceGuard } from "../../src/workspace/workspace-guard.js";
import { createTempWorkspace, idleContext, type TempWorkspace } from "./temp-workspace.js";

let ws: TempWorkspace;
let readFile: AgentTool;
let grep: AgentTool;

beforeEach(async () => {
  ws = await createTempWorkspace();
  const guard = createWorkspaceGuard(ws.root);
  readFile = createReadFileTool(guard);
  grep = createGrepTool(guard);
});
afterEach(() => ws.remove());

const call = (tool: AgentTool, args: unknown) => tool.run(JSON.stringify(args), idleContext());
const LATIN1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a, 0x6e, 0x61, 0xef, 0x76, 0x65, 0x0a]); // "café\nnaïve\n" in latin-1
const UTF16LE_BOM = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("hi cafe\n", "utf16le")]);
const INVALID = Buffer.concat([Buffer.from("ok "), Buffer.from([0xc3, 0x28]), Buffer.from(" and "), Buffer.from([0xff]), Buffer.from(" end\nline two\n")]);

describe("read_file on text that is not UTF-8", () => {
  it("shows latin-1 accents as U+FFFD, one per invalid byte, lines and numbering intact", async () => {
    await ws.write("latin1.txt", LATIN1);
    expect(await call(readFile, { path: "latin1.txt" })).toEqual({ ok: true, output: "1\tcaf\uFFFD\n2\tna\uFFFDve" });
  });

  it("replaces invalid UTF-8 sequences (a lead byte without its continuation, a lone 0xFF) and keeps the valid bytes after them", async () => {
    await ws.write("bad.txt", INVALID);
    expect(await call(readFile, { path: "bad.txt" })).toEqual({ ok: true, output: "1\tok \uFFFD( and \uFFFD end\n2\tline two" });
  });

  it("refuses UTF-16 text with ASCII in it as binary: its NUL bytes are what binary files have", async () => {
    await ws.write("utf16.txt", UTF16LE_BOM);
    await ws.write("utf16be.txt", Buffer.from("hi\n", "utf16le").swap16());
    for (const file of ["utf16.txt", "utf16be.txt"]) {
      expect(await call(readFile, { path: file })).toEqual({ ok: false, error: `"${file}" is a binary file (it has a NUL byte in its first 8 KB); read_file reads text only` });
    }
  });

  it("reads UTF-16 with no NUL byte (CJK only) as UTF-8, replacement characters and all: no encoding is guessed", async () => {
    await ws.write("cjk16.txt", Buffer.from("日本語", "utf16le")); // e5 65 2c 67 9e 8a
    expect(await call(readFile, { path: "cjk16.txt" })).toEqual({ ok: true, output: "1\t\uFFFDe,g\uFFFD\uFFFD" });
  });

  it("keeps a UTF-8 byte order mark at the start of line 1 (U+FEFF), as the file has it", async () => {
    await ws.write("bom.txt", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("first\nsecond\n")]));
    expect(await call(readFile, { path: "bom.txt" })).toEqual({ ok: true, output: "1\t\uFEFFfirst\n2\tsecond" });
  });

  it("decodes a character whose bytes straddle two read chunks (256 KiB) whole", async () => {
    // 2621 lines of 100 bytes end at byte 262100; 43 bytes more put "é" (c3 a9) across byte 262144.
    const lines = `${"x".repeat(99)}\n`.repeat(2621);
    await ws.write("chunks.txt", `${lines}${"y".repeat(43)}é\nlast\n`);
    expect(Buffer.byteLength(lines) + 43).toBe(256 * 1024 - 1);
    expect(await call(readFile, { path: "chunks.txt", offset: 2622, limit: 1 })).toEqual({
      ok: true,
      output: `2622\t${"y".repeat(43)}é\n\n[lines 2622-2622 of 2623 shown; call read_file with offset=2623 to read on]`,
    });
  });
});

describe("read_file on a huge file", () => {
  it("cuts a 3 MB line to its first 2000 characters with a marker giving its size, and shows the next line", async () => {
    await ws.write("big.txt", `${"x".repeat(3 * 1024 * 1024)}\nneedle here\n`);
    expect(await call(readFile, { path: "big.txt" })).toEqual({
      ok: true,
      output: `1\t${"x".repeat(2000)} … [line cut: first 2000 characters of 3145728 bytes shown]\n2\tneedle here`,
    });
  });
});

describe("grep on text that is not UTF-8, and on huge files", () => {
  it("matches latin-1 text by its ASCII part and shows the accent as U+FFFD; a UTF-8 pattern with the accent does not match", async () => {
    await ws.write("latin1.txt", LATIN1);
    expect(await call(grep, { pattern: "caf" })).toEqual({ ok: true, output: "latin1.txt:1: caf\uFFFD" });
    expect(await call(grep, { pattern: "na.ve" })).toEqual({ ok: true, output: "latin1.txt:2: na\uFFFDve" });
    expect(await call(grep, { pattern: "café" })).toEqual({ ok: true, output: '[no matches for /café/ in 1 file under "."]' });
  });

  it("shows a line with invalid bytes replaced, and skips UTF-16 as binary, counting it and not counting it as searched", async () => {
    await ws.write("bad.txt", INVALID);
    await ws.write("utf16.txt", UTF16LE_BOM);
    expect(await call(grep, { pattern: "and" })).toEqual({ ok: true, output: "bad.txt:1: ok \uFFFD( and \uFFFD end\n\n[not searched: 1 binary file]" });
    expect(await call(grep, { pattern: "cafe" })).toEqual({ ok: true, output: '[no matches for /cafe/ in 1 file under "."]\n[not searched: 1 binary file]' });
  });

  it("skips a 3 MB file in a folder walk and says so, but searches it when the call names it", async () => {
    await ws.write("big.txt", `${"x".repeat(3 * 1024 * 1024)}\nneedle here\n`);
    await ws.write("small.txt", "no match here\n");
    expect(await call(grep, { pattern: "needle" })).toEqual({ ok: true, output: '[no matches for /needle/ in 1 file under "."]\n[not searched: 1 file over 2 MB]' });
    expect(await call(grep, { pattern: "needle", path: "big.txt" })).toEqual({ ok: true, output: "big.txt:2: needle here" });
  });

  it("skips a named file over its own cap with the cap in the note, searching nothing", async () => {
    const guard = createWorkspaceGuard(ws.root);
    const small = createGrepTool(guard, { maxFileBytes: 100, maxNamedFileBytes: 1000 });
    await ws.write("mid.txt", `${"x".repeat(500)}\nneedle\n`);
    await ws.write("big.txt", `${"x".repeat(2000)}\nneedle\n`);
    expect(await call(small, { pattern: "needle", path: "mid.txt" })).toEqual({ ok: true, output: "mid.txt:2: needle" });
    expect(await call(small, { pattern: "needle", path: "big.txt" })).toEqual({ ok: true, output: '[no matches for /needle/ in 0 files under "big.txt"]\n[not searched: 1 file over 1000 B]' });
  });

  it("cuts a match on a huge line to a window around it, with the line's length", async () => {
    await ws.write("long.txt", `${"a".repeat(100_000)}NEEDLE${"b".repeat(100_000)}\n`);
    const result = await call(grep, { pattern: "NEEDLE" });
    expect(result.ok).toBe(true);
    const output = result.ok ? result.output : "";
    expect(output).toBe(`long.txt:1: … ${"a".repeat(125)}NEEDLE${"b".repeat(369)} … [line cut: characters 99876-100375 of 200006 shown]`);
  });
});
