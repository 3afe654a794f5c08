import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
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
    expect(loadConfig(workspace, { XDG_CONFIG_HOME: configHome })).toEqual({ user: undefined, project: undefined });
  });

  it("keeps the user's file and the project's apart, each with its path, so trust can tell them apart", async () => {
    await write(userFile(), JSON.stringify({ model: "openai/a", concurrency: 4, limits: { memoryMb: 64, cpuTimeMs: 1000 } }));
    await write(projectFile(), JSON.stringify({ model: "groq/b", limits: { memoryMb: 256 } }));
    expect(loadConfig(workspace, { XDG_CONFIG_HOME: configHome })).toEqual({
      user: { file: userFile(), config: { model: "openai/a", concurrency: 4, limits: { memoryMb: 64, cpuTimeMs: 1000 } } },
      project: { file: projectFile(), config: { model: "groq/b", limits: { memoryMb: 256 } } },
    });
  });

  it("finds the user's file under HOME/.config when XDG_CONFIG_HOME is unset", async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), "agentwf-home-"));
    await write(path.join(home, ".config", "agentwf", "config.json"), JSON.stringify({ concurrency: 2 }));
    expect(loadConfig(workspace, { HOME: home }).user).toEqual({ file: path.join(home, ".config", "agentwf", "config.json"), config: { concurrency: 2 } });
  });

  it("refuses a project config that is a FIFO instead of hanging on it", async () => {
    await mkdir(path.dirname(projectFile()), { recursive: true });
    execFileSync("mkfifo", [projectFile()]);
    expect(() => loadConfig(workspace, { XDG_CONFIG_HOME: configHome })).toThrow(`${projectFile()}: is not a regular file (a FIFO, socket or device); only regular files are read`);
  });

  it("refuses a project config that links to a file outside the workspace", async () => {
    const outside = path.join(configHome, "elsewhere.json");
    await writeFile(outside, JSON.stringify({ concurrency: 2 }));
    await mkdir(path.dirname(projectFile()), { recursive: true });
    await symlink(outside, projectFile());
    expect(() => loadConfig(workspace, { XDG_CONFIG_HOME: configHome })).toThrow(`leads through a symbolic link to ${outside}, outside the workspace ${workspace}; use a path inside it`);
  });

  it("refuses a config file over 256 KiB", async () => {
    await write(projectFile(), `{"model": "${"x".repeat(300_000)}"}`);
    expect(() => loadConfig(workspace, { XDG_CONFIG_HOME: configHome })).toThrow(`${projectFile()}: 300013 bytes, over the 262144-byte limit for a config file; make it smaller`);
  });

  it("escapes control characters of an unknown key in the message", async () => {
    await write(projectFile(), JSON.stringify({ "x\u001b]0;pwned\u0007": 1 }));
    expect(() => loadConfig(workspace, { XDG_CONFIG_HOME: configHome })).toThrow(`${projectFile()}: (top level): unknown key "x\\x1b]0;pwned\\x07"; see README.md, "Configuration"`);
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
