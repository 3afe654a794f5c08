import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createReadOnlyTools } from "../../src/tools/read-only-tools.js";
import { createTempWorkspace, idleContext } from "./temp-workspace.js";
import type { TempWorkspace } from "./temp-workspace.js";

let ws: TempWorkspace;

beforeEach(async () => {
  ws = await createTempWorkspace();
});
afterEach(() => ws.remove());

describe("createReadOnlyTools", () => {
  it("returns read_file, list_dir, glob and grep with JSON schemas for the model", () => {
    const tools = createReadOnlyTools(ws.root);
    expect(tools.map((tool) => tool.name)).toEqual(["read_file", "list_dir", "glob", "grep"]);
    for (const tool of tools) expect(tool.spec.parameters).toMatchObject({ type: "object" });
  });

  it("confines every tool to the given root", async () => {
    await ws.write("a.txt", "hello\n");
    const results = await Promise.all(
      createReadOnlyTools(ws.root).map((tool) =>
        tool.run(JSON.stringify(tool.name === "read_file" ? { path: "../outside" } : { path: "../outside", pattern: "x" }), idleContext()),
      ),
    );
    for (const result of results) expect(!result.ok && result.error).toMatch(/is outside the workspace/);
  });
});
