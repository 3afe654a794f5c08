// One walk serves the glob and grep calls after it, while nothing says the tree changed: the tool
// box's count of writes, the listing's age, and the modification times of the directories it read.
import { utimes } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWalkCache } from "../../src/tools/walk-cache.js";
import { createWorkspaceChanges } from "../../src/tools/workspace-changes.js";
import { createWorkspaceGuard } from "../../src/workspace/workspace-guard.js";
import { createTempWorkspace } from "./temp-workspace.js";
import type { TempWorkspace } from "./temp-workspace.js";

let ws: TempWorkspace;
const OLD = new Date("2020-01-01T00:00:00Z");
beforeEach(async () => {
  ws = await createTempWorkspace();
  await ws.write(".gitignore", "");
  await ws.write("src/a.ts", "");
  await ws.write("src/gen/b.ts", "");
  await ws.write("out/c.ts", "");
  // Old times, so that any later change to a folder moves its time however coarse the clock.
  for (const dir of [".", "src", "src/gen", "out"]) await utimes(path.join(ws.root, dir), OLD, OLD);
});
afterEach(() => ws.remove());

function setup(now: () => number = () => 0) {
  const guard = createWorkspaceGuard(ws.root);
  const changes = createWorkspaceChanges();
  const walk = createWalkCache({ changes, now, maxAgeMs: 1000 });
  const list = async (dir = ".") => {
    const result = await walk({ guard, start: path.join(ws.root, dir), signal: new AbortController().signal });
    return result.files.map((file) => path.relative(ws.root, file)).sort();
  };
  return { changes, list };
}

describe("the kept walk", () => {
  it("serves a later call, also for a folder below, until the tool box says it wrote", async () => {
    const { changes, list } = setup();
    expect(await list()).toEqual([".gitignore", "out/c.ts", "src/a.ts", "src/gen/b.ts"]);
    // Rewriting a file in place moves no folder's time: only the count of writes says it changed.
    await ws.write(".gitignore", "out/\n");
    await utimes(ws.root, OLD, OLD);
    expect(await list()).toEqual([".gitignore", "out/c.ts", "src/a.ts", "src/gen/b.ts"]);
    expect(await list("src")).toEqual(["src/a.ts", "src/gen/b.ts"]);
    changes.changed();
    expect(await list()).toEqual([".gitignore", "src/a.ts", "src/gen/b.ts"]);
  });

  it("walks afresh when a folder it read has changed, or when the listing is too old", async () => {
    let clock = 0;
    const { list } = setup(() => clock);
    expect(await list()).toEqual([".gitignore", "out/c.ts", "src/a.ts", "src/gen/b.ts"]);
    await ws.write("src/gen/new.ts", "");
    expect(await list("src")).toEqual(["src/a.ts", "src/gen/b.ts", "src/gen/new.ts"]);
    expect(await list()).toEqual([".gitignore", "out/c.ts", "src/a.ts", "src/gen/b.ts", "src/gen/new.ts"]);
    // In place: no folder's time moves, so the listing still serves until it is too old.
    await ws.write(".gitignore", "src/gen/\n");
    expect(await list()).toEqual([".gitignore", "out/c.ts", "src/a.ts", "src/gen/b.ts", "src/gen/new.ts"]);
    clock = 1001;
    expect(await list()).toEqual([".gitignore", "out/c.ts", "src/a.ts"]);
  });

  it("walks a folder the listing did not enter (ignored, asked for by name) on its own", async () => {
    await ws.write(".gitignore", "out/\n");
    const { list } = setup();
    expect(await list()).toEqual([".gitignore", "src/a.ts", "src/gen/b.ts"]);
    expect(await list("out")).toEqual(["out/c.ts"]);
  });
});
