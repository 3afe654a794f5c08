// Paging through a cut glob or grep reads one snapshot: later pages neither walk the tree nor read
// the files again, so they agree with the first page; a call at offset 0 looks afresh.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGlobTool } from "../../src/tools/glob.js";
import { createGrepTool } from "../../src/tools/grep.js";
import { createPageSnapshots } from "../../src/tools/page-snapshots.js";
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

describe("page snapshots", () => {
  it("glob: the next page comes from the first call's listing, and offset 0 lists again", async () => {
    let clock = 0;
    const glob = createGlobTool(createWorkspaceGuard(ws.root), { maxResults: 2 }, { now: () => clock });
    const call = (offset: number) => glob.run(JSON.stringify({ pattern: "**/*.ts", offset }), idleContext());
    await expect(call(0)).resolves.toMatchObject({ output: `src/a.ts\nsrc/b.ts\n\n${truncated(1, 2, 3)}` });
    await ws.write("src/aa.ts", "");
    // Same snapshot: 3 files, the third is c.ts, not the new aa.ts.
    await expect(call(2)).resolves.toEqual({ ok: true, output: "src/c.ts" });
    await expect(call(0)).resolves.toMatchObject({ output: `src/a.ts\nsrc/aa.ts\n\n${truncated(1, 2, 4)}` });
    // A snapshot older than a minute is not used: the page is listed afresh.
    await ws.write("src/ab.ts", "");
    clock = 60_001;
    await expect(call(2)).resolves.toMatchObject({ output: `src/ab.ts\nsrc/b.ts\n\n${truncated(3, 4, 5)}` });
  });

  it("grep: the next page comes from the matches of the first call, not from the files again", async () => {
    const grep = createGrepTool(createWorkspaceGuard(ws.root), { maxResults: 2 });
    const call = (offset: number) => grep.run(JSON.stringify({ pattern: "import", offset }), idleContext());
    await expect(call(0)).resolves.toMatchObject({ output: `src/a.ts:1: import "./a-dep";\nsrc/b.ts:1: import "./b-dep";\n\n${truncated(1, 2, 3)}` });
    await ws.write("src/c.ts", "nothing here\n");
    await expect(call(2)).resolves.toEqual({ ok: true, output: 'src/c.ts:1: import "./c-dep";' });
    await expect(call(0)).resolves.toEqual({ ok: true, output: 'src/a.ts:1: import "./a-dep";\nsrc/b.ts:1: import "./b-dep";' });
  });

  it("keeps only the last few snapshots", () => {
    const snapshots = createPageSnapshots<number>({ maxEntries: 2 });
    snapshots.keep("a", 1, 0);
    snapshots.keep("b", 2, 0);
    snapshots.keep("c", 3, 0);
    expect([snapshots.pageOn("a", 1), snapshots.pageOn("b", 1), snapshots.pageOn("c", 1), snapshots.pageOn("c", 0)]).toEqual([undefined, 2, 3, undefined]);
  });
});
