import { describe, expect, it } from "vitest";
import { MAX_PAGES, absorb, advance, startScan } from "../../../src/model/demo/scan.js";

const notice = (first: number, end: number, total: number) => `[truncated: showing ${first}-${end} of ${total}; call again with offset ${end} to continue]`;

describe("scan", () => {
  it("starts by listing the package folder and globs each walked subfolder, skipping dist, vendor, .cache and nested packages", () => {
    const state = startScan({ root: ".", exclude: ["packages/a"], packages: [] });
    expect(state.todo.splice(0)).toEqual([{ name: "list_dir", args: { path: "." } }]);
    absorb(state, { name: "list_dir", args: { path: "." } }, "dist/\nindex.ts\npackages/\nsrc/\nvendor/\n.cache/\nREADME.md", false);
    expect([...state.files]).toEqual(["index.ts"]);
    expect(state.todo.map((c) => c.args.path)).toEqual(["packages", "src"]);
  });

  it("queues every remaining page of a glob cut at a few pages", () => {
    const state = startScan({ root: ".", exclude: [], packages: [] });
    const call = { name: "glob" as const, args: { pattern: "p", path: "src" } };
    absorb(state, call, `src/a.ts\nsrc/b.ts\n\n${notice(1, 2, 7)}`, false);
    expect(state.todo.splice(1).map((c) => c.args.offset)).toEqual([2, 4, 6]);
    expect([...state.files]).toEqual(["src/a.ts", "src/b.ts"]);
  });

  it("pages through a long glob rather than splitting it (the tool serves later pages from one walk)", () => {
    const state = startScan({ root: ".", exclude: [], packages: [] });
    state.todo.splice(0);
    absorb(state, { name: "glob", args: { pattern: "p", path: "src" } }, `src/a.ts\n\n${notice(1, 1, 50)}`, false);
    expect(state.todo.map((c) => [c.name, c.args.offset])).toEqual(Array.from({ length: 49 }, (_, i) => ["glob", i + 1]));
  });

  it("splits a glob that would take more pages than it reads into its folders", () => {
    const state = startScan({ root: ".", exclude: [], packages: [] });
    state.todo.splice(0);
    absorb(state, { name: "glob", args: { pattern: "p", path: "src" } }, `src/a.ts\n\n${notice(1, 1, MAX_PAGES + 1)}`, false);
    expect(state.todo).toEqual([{ name: "list_dir", args: { path: "src" } }]);
  });

  it("refuses a notice that claims more pages than it reads, and says so", () => {
    const state = startScan({ root: ".", exclude: [], packages: [] });
    state.todo.splice(0);
    absorb(state, { name: "list_dir", args: { path: "." } }, `a.ts\n${notice(1, 1, MAX_PAGES + 5)}`, false);
    expect(state.todo).toEqual([]);
    expect(state.incomplete).toEqual([`list_dir .: claims ${MAX_PAGES + 5} results in pages of 1, more than the ${MAX_PAGES} pages the demo reads`]);
  });

  it("says so when pages disagree on the total", () => {
    const state = startScan({ root: ".", exclude: [], packages: [] });
    state.todo.splice(0);
    absorb(state, { name: "glob", args: { pattern: "p", path: "src" } }, `src/a.ts\n${notice(1, 1, 2)}`, false);
    absorb(state, { name: "glob", args: { pattern: "p", path: "src", offset: 1 } }, `src/b.ts\n${notice(2, 2, 3)}`, false);
    expect(state.incomplete).toEqual(["glob src: the total changed between pages (2 then 3)"]);
  });

  it("reads the tests' imports once listing is done: one grep per small folder of tests only", () => {
    const state = startScan({ root: ".", exclude: [], packages: [] });
    state.todo.splice(0);
    absorb(state, { name: "glob", args: { pattern: "p", path: "." } }, "src/a.ts\ntest/x/a.test.ts\ntest/x/b.test.ts\ntest/y/c.test.ts\nsrc/d.test.ts", false);
    advance(state);
    expect(state.phase).toBe("grepping");
    expect(state.todo.map((c) => [c.args.path, c.args.glob])).toEqual([
      ["test", "**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,py,go}"],
      ["src/d.test.ts", undefined],
    ]);
  });
});

describe("scan, through entry files", () => {
  it("reads the imports of an entry file a test imports, and counts what it re-exports as imported", () => {
    const state = startScan({ root: ".", exclude: [], packages: [] });
    state.todo.splice(0);
    absorb(state, { name: "glob", args: { pattern: "p", path: "." } }, "source/index.ts\nsource/core/Ky.ts\nsource/utils/delay.ts\ntest/main.ts", false);
    advance(state);
    const grepTests = state.todo.splice(0);
    expect(grepTests.map((c) => c.args.path)).toEqual(["test/main.ts"]);
    absorb(state, grepTests[0]!, "test/main.ts:1: import ky from '../source/index.js';", false);
    advance(state);
    expect(state.phase).toBe("entries");
    const grepEntry = state.todo.splice(0);
    expect(grepEntry.map((c) => c.args.path)).toEqual(["source/index.ts"]);
    absorb(state, grepEntry[0]!, "source/index.ts:3: import {Ky} from './core/Ky.js';", false);
    advance(state);
    expect(state.phase).toBe("done");
    expect([...state.targets.keys()].sort()).toEqual(["exact:source/core/Ky", "exact:source/index"]);
  });
});

describe("scan, with a grep that cannot page", () => {
  it("reads a test file whose import lines an older grep cut, and follows read_file's offset", () => {
    const state = startScan({ root: ".", exclude: [], packages: [] });
    state.todo.splice(0);
    state.testFiles.add("test/a.test.ts");
    absorb(state, { name: "grep", args: { pattern: "p", path: "test/a.test.ts" } }, "test/a.test.ts:1: import x from '../src/x'\n\n[1 of 300 matches shown (1-match limit); narrow the pattern, path or glob to see the rest]", false);
    expect(state.todo).toEqual([{ name: "read_file", args: { path: "test/a.test.ts" } }]);
    state.todo.splice(0);
    absorb(state, { name: "read_file", args: { path: "test/a.test.ts" } }, "1\timport x from '../src/x'\n2\timport y from '../src/y'\n\n[lines 1-2 of 9 shown (2-line limit per call); call read_file with offset=3 to read on]", false);
    expect([...state.targets.keys()]).toEqual(["exact:src/x", "exact:src/y"]);
    expect(state.todo).toEqual([{ name: "read_file", args: { path: "test/a.test.ts", offset: 3 } }]);
    expect(state.incomplete).toEqual([]);
  });
});
