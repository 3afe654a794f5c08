// `.env*` files hold keys and what tools read goes to the model's server: read_file refuses them
// and grep skips them (saying so), unless the person allowed it.
import { symlink } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isDotEnvFile } from "../../src/tools/dotenv-policy.js";
import { createEditFileTool } from "../../src/tools/edit-file.js";
import { createGrepTool } from "../../src/tools/grep.js";
import { createReadFileTool } from "../../src/tools/read-file.js";
import type { AgentTool } from "../../src/tools/tool.js";
import { createWorkspaceGuard } from "../../src/workspace/workspace-guard.js";
import { createTempWorkspace, idleContext, type TempWorkspace } from "./temp-workspace.js";

let ws: TempWorkspace;
beforeEach(async () => {
  ws = await createTempWorkspace();
  await ws.write(".env", "API_KEY=abc\n");
  await ws.write("app/.env.production", "API_KEY=prod\n");
  await ws.write("app/config.js", "const API_KEY = process.env.API_KEY;\n");
  await symlink(".env", path.join(ws.root, "settings.txt"));
});
afterEach(() => ws.remove());

const run = (tool: AgentTool, args: unknown) => tool.run(JSON.stringify(args), idleContext());
const REFUSAL = (shown: string) => `"${shown}" is an environment file (it usually holds keys) and is not read; the person can allow it with "tools": { "readDotEnv": true } in their own agentwf config`;

describe(".env files", () => {
  it("read_file refuses them, also through a link with another name", async () => {
    const read = createReadFileTool(createWorkspaceGuard(ws.root));
    expect(await run(read, { path: ".env" })).toEqual({ ok: false, error: REFUSAL(".env") });
    expect(await run(read, { path: "app/.env.production" })).toEqual({ ok: false, error: REFUSAL("app/.env.production") });
    expect(await run(read, { path: "settings.txt" })).toEqual({ ok: false, error: REFUSAL("settings.txt") });
  });

  it("edit_file refuses them (its errors quote the file)", async () => {
    const edit = createEditFileTool(createWorkspaceGuard(ws.root));
    expect(await run(edit, { path: ".env", old_string: "API_KEY=ab", new_string: "x" })).toEqual({ ok: false, error: REFUSAL(".env") });
    expect(await run(edit, { path: "settings.txt", old_string: "API_KEY=ab", new_string: "x" })).toEqual({ ok: false, error: REFUSAL("settings.txt") });
  });

  it("grep skips them, links to them too, and says how many", async () => {
    const grep = createGrepTool(createWorkspaceGuard(ws.root));
    expect(await run(grep, { pattern: "API_KEY" })).toEqual({
      ok: true,
      output: "app/config.js:1: const API_KEY = process.env.API_KEY;\n\n[3 environment files (.env*) not searched: they usually hold keys]",
    });
  });

  it("are read when the person allows it", async () => {
    const read = createReadFileTool(createWorkspaceGuard(ws.root), {}, { allowDotEnv: true });
    expect(await run(read, { path: ".env" })).toEqual({ ok: true, output: "1\tAPI_KEY=abc" });
    const grep = createGrepTool(createWorkspaceGuard(ws.root), {}, { allowDotEnv: true });
    expect(await run(grep, { pattern: "API_KEY=" })).toEqual({ ok: true, output: ".env:1: API_KEY=abc\napp/.env.production:1: API_KEY=prod\nsettings.txt:1: API_KEY=abc" });
  });
});

describe("which files are environment files", () => {
  it("are .env, .env.* and .envrc by their own name, in any folder", () => {
    const names = [".env", "app/.env", ".env.local", "deploy/.env.production", ".envrc", "x.env", ".environment", "env", ".env-example", "app/.envrc.d", ".env/readme.md"];
    expect(names.filter((name) => isDotEnvFile(name))).toEqual([".env", "app/.env", ".env.local", "deploy/.env.production", ".envrc"]);
  });
});
