import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config-file.js";

let workspace: string;
let configHome: string;

beforeEach(async () => {
  workspace = await mkdtemp(path.join(os.tmpdir(), "agentwf-ws-"));
  configHome = await mkdtemp(path.join(os.tmpdir(), "agentwf-xdg-"));
});

async function write(file: string, text: string) {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}

const userFile = () => path.join(configHome, "agentwf", "config.json");
const projectFile = () => path.join(workspace, ".agentwf", "config.json");

describe("loadConfig", () => {
  it("returns no config and no files when neither file exists", () => {
    expect(loadConfig(workspace, { XDG_CONFIG_HOME: configHome })).toEqual({ config: {}, files: [] });
  });

  it("lets the project file override the user file, key by key, limits merged", async () => {
    await write(userFile(), JSON.stringify({ model: "openai/a", concurrency: 4, limits: { memoryMb: 64, cpuTimeMs: 1000 } }));
    await write(projectFile(), JSON.stringify({ model: "groq/b", limits: { memoryMb: 256 } }));
    const loaded = loadConfig(workspace, { XDG_CONFIG_HOME: configHome });
    expect(loaded.config).toEqual({ model: "groq/b", concurrency: 4, limits: { memoryMb: 256, cpuTimeMs: 1000 } });
    expect(loaded.files).toEqual([userFile(), projectFile()]);
  });

  it("names the file and the key of an unknown key", async () => {
    await write(projectFile(), JSON.stringify({ limits: { memoryMB: 64 } }));
    expect(() => loadConfig(workspace, { XDG_CONFIG_HOME: configHome })).toThrow(`${projectFile()}: limits: unknown key "memoryMB"; see README.md, "Configuration"`);
  });

  it("names the file and the key of a value out of range", async () => {
    await write(projectFile(), JSON.stringify({ concurrency: 500 }));
    expect(() => loadConfig(workspace, { XDG_CONFIG_HOME: configHome })).toThrow(`${projectFile()}: concurrency: Too big: expected number to be <=64`);
  });

  it("says a file that is not JSON is not JSON", async () => {
    await write(projectFile(), "{ model: ");
    expect(() => loadConfig(workspace, { XDG_CONFIG_HOME: configHome })).toThrow(/config\.json: not valid JSON .*; fix or remove the file$/);
  });
});
