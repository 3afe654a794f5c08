// Each refusal of the guarded reader, with the exact code and message a person or model sees.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WorkspaceReadError } from "../../src/workspace/regular-file.js";
import { readWorkspaceFile, readWorkspaceFileHead, readWorkspaceFileSync } from "../../src/workspace/read-workspace-file.js";
import { createWorkspaceGuard, type WorkspaceGuard } from "../../src/workspace/workspace-guard.js";
import { createTempWorkspace, type TempWorkspace } from "../tools/temp-workspace.js";

const CAP = { maxBytes: 1024, purpose: "a test file" } as const;
let ws: TempWorkspace;
let guard: WorkspaceGuard;

beforeEach(async () => {
  ws = await createTempWorkspace();
  guard = createWorkspaceGuard(ws.root);
  await writeFile(path.join(ws.outside, "secret"), "OUTSIDE-SECRET");
});
afterEach(() => ws.remove());

function refusalOf(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof WorkspaceReadError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a refusal");
}

async function asyncRefusalOf(read: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await read.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof WorkspaceReadError) return { code: error.code, message: error.message };
  throw new Error(`expected a WorkspaceReadError, got ${String(error)}`);
}

describe("readWorkspaceFile and readWorkspaceFileHead refusals", () => {
  it("turns a path outside into an 'outside' refusal that names the input and the guard's reason", async () => {
    const expected = { code: "outside", message: `../x: path "../x" is outside the workspace ${ws.root}; use a path inside it` };
    expect(await asyncRefusalOf(readWorkspaceFile(guard, "../x", CAP))).toEqual(expected);
    expect(await asyncRefusalOf(readWorkspaceFileHead(guard, "../x", CAP, 10))).toEqual(expected);
  });

  it("reads a whole file, and a head longer than the file as the whole file", async () => {
    await ws.write("a.md", "abcdef");
    expect((await readWorkspaceFile(guard, "a.md", CAP)).toString()).toBe("abcdef");
    const whole = await readWorkspaceFileHead(guard, "a.md", CAP, 100);
    expect([whole.head.toString(), whole.size]).toEqual(["abcdef", 6]);
    const none = await readWorkspaceFileHead(guard, "a.md", CAP, 0);
    expect([none.head.toString(), none.size]).toEqual(["", 6]);
  });

  it("refuses a head of a file over the cap, of a directory and of a missing file", async () => {
    await ws.write("big", "x".repeat(1025));
    expect(await asyncRefusalOf(readWorkspaceFileHead(guard, "big", CAP, 4))).toEqual({
      code: "too-large",
      message: `big: 1025 bytes, over the 1024-byte limit for a test file; make it smaller`,
    });
    expect(await asyncRefusalOf(readWorkspaceFileHead(guard, ".", CAP, 4))).toEqual({ code: "not-regular", message: ".: is a directory, not a file" });
    expect(await asyncRefusalOf(readWorkspaceFileHead(guard, "nope", CAP, 4))).toEqual({ code: "missing", message: "nope: no such file" });
  });
});

describe("readWorkspaceFileSync refusals", () => {
  it("refuses a path with a NUL byte, showing the byte as \\0", () => {
    expect(refusalOf(() => readWorkspaceFileSync(ws.root, "a.json\0.txt", CAP))).toEqual({ code: "unreadable", message: "a.json\\0.txt: contains a NUL byte; not read" });
  });

  it("refuses a path outside a root that does not exist, by the path's text", () => {
    const root = path.join(ws.root, "gone");
    expect(refusalOf(() => readWorkspaceFileSync(root, "../secret", CAP))).toEqual({
      code: "outside",
      message: `../secret: path "../secret" is outside the workspace ${root}; use a path inside it`,
    });
  });

  it("calls a missing file and a path below a regular file missing", async () => {
    await ws.write("a.txt", "x");
    expect(refusalOf(() => readWorkspaceFileSync(ws.root, "nope.json", CAP))).toEqual({ code: "missing", message: "nope.json: no such file" });
    expect(refusalOf(() => readWorkspaceFileSync(ws.root, "a.txt/b", CAP))).toEqual({ code: "missing", message: "a.txt/b: no such file" });
  });

  it("refuses a symlink loop as outside, saying it loops", async () => {
    await symlink("b", path.join(ws.root, "a"));
    await symlink("a", path.join(ws.root, "b"));
    expect(refusalOf(() => readWorkspaceFileSync(ws.root, "a", CAP))).toEqual({ code: "outside", message: "a: loops through symbolic links; not read" });
  });

  it("says a file cannot be read, and why, for any other error", () => {
    const name = "x".repeat(300);
    const refusal = refusalOf(() => readWorkspaceFileSync(ws.root, name, CAP));
    expect(refusal.code).toBe("unreadable");
    expect(refusal.message).toBe(`${name}: cannot be read (ENAMETOOLONG: name too long, realpath '${path.join(ws.root, name)}')`);
  });

  it("refuses a symlink out with where it leads and the workspace", async () => {
    await symlink(path.join(ws.outside, "secret"), path.join(ws.root, "out.json"));
    expect(refusalOf(() => readWorkspaceFileSync(ws.root, "out.json", CAP))).toEqual({
      code: "outside",
      message: `out.json: leads through a symbolic link to ${path.join(ws.outside, "secret")}, outside the workspace ${ws.root}; use a path inside it`,
    });
  });

  it("reads a file through a root given by a symlink", async () => {
    await ws.write("ok.json", "{}");
    const alias = path.join(ws.outside, "alias");
    await symlink(ws.root, alias);
    expect(readWorkspaceFileSync(alias, "ok.json", CAP).toString()).toBe("{}");
  });
});

describe("readWorkspaceFileHead on files whose size is not what fstat says", () => {
  const SHORTER_THAN_STAT = "/sys/devices/system/cpu/online"; // size 4096, a few bytes long

  it.skipIf(!existsSync(SHORTER_THAN_STAT))("stops at the end of what is there, and gives fstat's size", async () => {
    const kernel = createWorkspaceGuard(path.dirname(SHORTER_THAN_STAT));
    const { head, size } = await readWorkspaceFileHead(kernel, "online", { maxBytes: 8192, purpose: "a kernel file" }, 4096);
    expect(head).toEqual(readFileSync(SHORTER_THAN_STAT));
    expect(size).toBe(4096);
  });

  it.skipIf(!existsSync("/proc/self/fd"))("closes the file after reading its head", async () => {
    await ws.write("a.md", "abcdef");
    const before = readdirSync("/proc/self/fd").length;
    for (let i = 0; i < 5; i += 1) await readWorkspaceFileHead(guard, "a.md", CAP, 3);
    expect(readdirSync("/proc/self/fd").length).toBe(before);
  });
});
