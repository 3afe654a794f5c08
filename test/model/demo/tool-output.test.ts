import { describe, expect, it } from "vitest";
import { readEntries, readGrepLine, readPage } from "../../../src/model/demo/tool-output.js";

describe("readPage", () => {
  it("reads the paging notice on the last line", () => {
    expect(readPage("a.ts\nb.ts\n\n[truncated: showing 1-2 of 5; call again with offset 2 to continue]")).toEqual({
      lines: ["a.ts", "b.ts"],
      more: { first: 1, next: 2, total: 5 },
    });
  });

  it("reads the notice under a note the agent loop appended", () => {
    const page = readPage("a.ts\n[truncated: showing 3-3 of 5; call again with offset 3 to continue]\n\n[agentwf] You have used all your turns.");
    expect(page.more).toEqual({ first: 3, next: 3, total: 5 });
  });

  it("flags an older tool's cap it cannot page through", () => {
    expect(readPage("a\n\n[1 of 9 matching files shown (1-file limit); narrow the pattern or path to see the rest]").unpageable).toBe(
      "[1 of 9 matching files shown (1-file limit); narrow the pattern or path to see the rest]",
    );
  });

  it("ignores a notice-like line that is not last or does not add up", () => {
    expect(readPage("[truncated: showing 1-2 of 5; call again with offset 2 to continue]\nz.ts").more).toBeUndefined();
    expect(readPage("[truncated: showing 1-2 of 1; call again with offset 2 to continue]").more).toBeUndefined();
  });
});

describe("readEntries", () => {
  it("tells folders, files and links apart", () => {
    expect(readEntries(["src/", "a.ts", "l -> ../x", "[the directory \".\" is empty]"])).toEqual([
      { name: "src", kind: "dir" },
      { name: "a.ts", kind: "file" },
      { name: "l", kind: "link" },
    ]);
  });
});

describe("readGrepLine", () => {
  it("splits at the known file even when the path holds ':N: '", () => {
    expect(readGrepLine("t/a:1: b.test.ts:3: import x from './y'", new Set(["t/a:1: b.test.ts"]))).toEqual({
      file: "t/a:1: b.test.ts",
      text: "import x from './y'",
    });
    expect(readGrepLine("other.ts:1: x", new Set(["t.ts"]))).toBeUndefined();
  });
});
