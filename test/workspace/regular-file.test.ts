import { execFileSync } from "node:child_process";
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, type Stats } from "node:fs";
import { mkdir, rename, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WorkspaceReadError, checkWithin, openRegularFile, readRegularFile, readRegularFileSync } from "../../src/workspace/regular-file.js";
import { createWorkspaceGuard } from "../../src/workspace/workspace-guard.js";
import { createTempWorkspace } from "../tools/temp-workspace.js";
import type { TempWorkspace } from "../tools/temp-workspace.js";

const CAP = { maxBytes: 10, purpose: "a test file" } as const;
let ws: TempWorkspace;

beforeEach(async () => {
  ws = await createTempWorkspace();
});
afterEach(() => ws.remove());

async function refusal(read: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await read.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof WorkspaceReadError)) throw new Error(`expected a WorkspaceReadError, got ${String(error)}`);
  return { code: error.code, message: error.message };
}

describe("checkWithin: the opened file must lie inside the workspace", () => {
  function refusalOfCheck(file: string, real: string, fdDir?: string, info?: (opened: Stats) => Stats): { code: string; message: string } | "inside" {
    const fd = openSync(file, "r");
    try {
      const opened = fstatSync(fd);
      checkWithin(fd, info ? info(opened) : opened, real, "shown.txt", ws.root, fdDir);
      return "inside";
    } catch (error) {
      if (error instanceof WorkspaceReadError) return { code: error.code, message: error.message };
      throw error;
    } finally {
      closeSync(fd);
    }
  }
  const outsideAt = (where: string) => ({
    code: "outside",
    message: `shown.txt: was opened at ${where}, outside the workspace (a folder on its path was swapped for a symbolic link); not read`,
  });

  it("on Linux, asks /proc where the descriptor is, whatever the path says", async () => {
    const inside = await ws.write("a.txt", "a");
    const outside = path.join(ws.outside, "o.txt");
    await writeFile(outside, "o");
    expect(refusalOfCheck(inside, inside)).toBe("inside");
    expect(refusalOfCheck(outside, inside)).toEqual(outsideAt(outside));
    expect(checkWithin(0, fstatSync(0), outside, "shown.txt", undefined)).toBeUndefined();
  });

  it("without /proc, requires the path to be the very file opened (device and inode), inside", async () => {
    const noProc = path.join(ws.outside, "no-proc");
    const a = await ws.write("a.txt", "a");
    const b = await ws.write("b.txt", "b");
    const outside = path.join(ws.outside, "o.txt");
    await writeFile(outside, "o");
    expect(refusalOfCheck(a, a, noProc)).toBe("inside");
    expect(refusalOfCheck(a, b, noProc)).toEqual(outsideAt(b));
    expect(refusalOfCheck(a, a, noProc, (opened) => ({ ...opened, dev: opened.dev + 1 }) as Stats)).toEqual(outsideAt(a));
    expect(refusalOfCheck(outside, outside, noProc)).toEqual(outsideAt(outside));
    expect(refusalOfCheck(a, path.join(ws.root, "gone.txt"), noProc)).toEqual({ code: "unreadable", message: "shown.txt: changed while being opened; not read" });
  });
});

describe("openRegularFile", () => {
  it("refuses a file that is gone by the time it is opened, and a link put in its place", async () => {
    await expect(refusal(openRegularFile(path.join(ws.root, "gone.txt"), "gone.txt", CAP, ws.root))).resolves.toEqual({ code: "missing", message: "gone.txt: no such file" });
    await symlink(path.join(ws.outside, "x"), path.join(ws.root, "link"));
    await expect(refusal(openRegularFile(path.join(ws.root, "link"), "link", CAP, ws.root))).resolves.toEqual({
      code: "outside",
      message: "link: became a symbolic link while being opened; not read",
    });
  });
});

describe("readRegularFile", () => {
  it("reads a regular file within the cap", async () => {
    const file = await ws.write("a.txt", "0123456789");
    expect((await readRegularFile(file, "a.txt", CAP)).toString()).toBe("0123456789");
  });

  it("refuses a file over the cap, naming its size, the cap and what it was for", async () => {
    const file = await ws.write("a.txt", "01234567890");
    await expect(refusal(readRegularFile(file, "a.txt", CAP))).resolves.toEqual({
      code: "too-large",
      message: "a.txt: 11 bytes, over the 10-byte limit for a test file; make it smaller",
    });
  });

  it("refuses a FIFO at once instead of waiting for a writer", async () => {
    const fifo = path.join(ws.root, "pipe");
    execFileSync("mkfifo", [fifo]);
    await expect(refusal(readRegularFile(fifo, "pipe", CAP))).resolves.toEqual({
      code: "not-regular",
      message: "pipe: is not a regular file (a FIFO, socket or device); only regular files are read",
    });
  });

  it("refuses a character device such as /dev/zero", async () => {
    await expect(refusal(readRegularFile("/dev/zero", "zero", CAP))).resolves.toMatchObject({ code: "not-regular" });
  });

  it("refuses a symlink in the last component (O_NOFOLLOW): a path swapped after the guard resolved it", async () => {
    const target = await ws.write("real.txt", "x");
    const link = path.join(ws.root, "link");
    await symlink(target, link);
    await expect(refusal(readRegularFile(link, "link", CAP))).resolves.toEqual({
      code: "outside",
      message: "link: became a symbolic link while being opened; not read",
    });
  });

  it("calls a missing file missing", async () => {
    await expect(refusal(readRegularFile(path.join(ws.root, "nope"), "nope", CAP))).resolves.toEqual({ code: "missing", message: "nope: no such file" });
  });

  it("refuses a directory", async () => {
    await expect(refusal(readRegularFile(ws.root, "ws", CAP))).resolves.toEqual({ code: "not-regular", message: "ws: is a directory, not a file" });
  });

  it("hands back an open handle and the size for streaming readers", async () => {
    const file = await ws.write("a.txt", "abc");
    const { handle, size } = await openRegularFile(file, "a.txt", CAP);
    await handle.close();
    expect(size).toBe(3);
  });
});

describe("readRegularFileSync", () => {
  it("reads a regular file and refuses a FIFO the same way", async () => {
    const file = await ws.write("a.txt", "abc");
    expect(readRegularFileSync(file, "a.txt", CAP).toString()).toBe("abc");
    const fifo = path.join(ws.root, "pipe");
    execFileSync("mkfifo", [fifo]);
    expect(() => readRegularFileSync(fifo, "pipe", CAP)).toThrow("pipe: is not a regular file (a FIFO, socket or device); only regular files are read");
  });

  it("refuses a file over the cap", async () => {
    await writeFile(path.join(ws.root, "big"), "x".repeat(11));
    expect(() => readRegularFileSync(path.join(ws.root, "big"), "big", CAP)).toThrow("big: 11 bytes, over the 10-byte limit for a test file; make it smaller");
  });
});

describe("regular files at the edges", () => {
  it("reads a file exactly at the cap and refuses one byte more, with its size and the cap", async () => {
    const exact = await ws.write("ten", "0123456789");
    expect((await readRegularFile(exact, "ten", CAP)).toString()).toBe("0123456789");
    expect(readRegularFileSync(exact, "ten", CAP).toString()).toBe("0123456789");
    const over = await ws.write("eleven", "0123456789A");
    const error = await readRegularFile(over, "eleven", CAP).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkspaceReadError);
    expect(error).toMatchObject({ name: "WorkspaceReadError", code: "too-large", size: 11, maxBytes: 10 });
    await expect(openRegularFile(over, "eleven", CAP)).rejects.toMatchObject({ code: "too-large", size: 11, maxBytes: 10 });
  });

  it("reads an empty file as empty", async () => {
    const empty = await ws.write("empty", "");
    expect((await readRegularFile(empty, "empty", CAP)).length).toBe(0);
    expect(readRegularFileSync(empty, "empty", CAP).length).toBe(0);
  });

  it("calls a path below a regular file missing (ENOTDIR)", async () => {
    const file = await ws.write("a.txt", "x");
    expect(await refusal(readRegularFile(path.join(file, "b"), "a.txt/b", CAP))).toEqual({ code: "missing", message: "a.txt/b: no such file" });
    expect(() => readRegularFileSync(path.join(file, "b"), "a.txt/b", CAP)).toThrow("a.txt/b: no such file");
  });

  it("says a file cannot be read, and why, for any other error of open", async () => {
    const long = path.join(ws.root, "x".repeat(300));
    expect(await refusal(readRegularFile(long, "long", CAP))).toEqual({ code: "unreadable", message: "long: cannot be read (ENAMETOOLONG: name too long, open '" + long + "')" });
    expect(() => readRegularFileSync(long, "long", CAP)).toThrow(`long: cannot be read (ENAMETOOLONG: name too long, open '${long}')`);
  });

  it("refuses a directory and a symlink the same way synchronously", async () => {
    expect(() => readRegularFileSync(ws.root, "dir", CAP)).toThrow("dir: is a directory, not a file");
    const target = await ws.write("t.txt", "x");
    await symlink(target, path.join(ws.root, "l"));
    expect(() => readRegularFileSync(path.join(ws.root, "l"), "l", CAP)).toThrow("l: became a symbolic link while being opened; not read");
    expect(() => readRegularFileSync(path.join(ws.root, "nope"), "nope", CAP)).toThrow("nope: no such file");
  });

  it("reads a file larger than one read call returns, whole", async () => {
    const big = "0123456789".repeat(100_000);
    const file = await ws.write("big", big);
    const cap = { maxBytes: 2_000_000, purpose: "a big file" };
    expect((await readRegularFile(file, "big", cap)).toString()).toBe(big);
    expect(readRegularFileSync(file, "big", cap).toString()).toBe(big);
  });
});

// Kernel files whose fstat size is not their length: the reader's promise to read exactly what
// fstat described, and to stop at the end of what is there, is checked on them.
const SHORTER_THAN_STAT = "/sys/devices/system/cpu/online"; // size 4096, a few bytes long
const LONGER_THAN_STAT = "/proc/self/status"; // size 0, a kilobyte or more long
const openDescriptors = () => readdirSync("/proc/self/fd").length;

describe("regular files whose size is not what fstat says", () => {
  it.skipIf(!existsSync(SHORTER_THAN_STAT))("stops at the end of a file shorter than fstat said, with what is there", async () => {
    const cap = { maxBytes: 8192, purpose: "a kernel file" };
    const content = readFileSync(SHORTER_THAN_STAT);
    expect(content.length).toBeGreaterThan(0);
    expect(await readRegularFile(SHORTER_THAN_STAT, "online", cap)).toEqual(content);
    expect(readRegularFileSync(SHORTER_THAN_STAT, "online", cap)).toEqual(content);
  });

  it.skipIf(!existsSync(LONGER_THAN_STAT))("reads no more than the size fstat gave when it was opened", async () => {
    const cap = { maxBytes: 8192, purpose: "a kernel file" };
    expect((await readRegularFile(LONGER_THAN_STAT, "status", cap)).length).toBe(0);
    expect(readRegularFileSync(LONGER_THAN_STAT, "status", cap).length).toBe(0);
  });
});

describe("file descriptors", () => {
  it.skipIf(!existsSync("/proc/self/fd"))("closes every file it opened, whether it read it or refused it", async () => {
    const file = await ws.write("a.txt", "abc");
    const big = await ws.write("big", "x".repeat(11));
    const before = openDescriptors();
    for (let i = 0; i < 5; i += 1) {
      await readRegularFile(file, "a.txt", CAP);
      readRegularFileSync(file, "a.txt", CAP);
      await readRegularFile(big, "big", CAP).catch(() => undefined);
      expect(() => readRegularFileSync(big, "big", CAP)).toThrow(WorkspaceReadError);
      await readRegularFile(ws.root, "dir", CAP).catch(() => undefined);
    }
    expect(openDescriptors()).toBe(before);
  });
});

describe("a folder swapped for a symlink between the guard's check and the open", () => {
  // The guard resolved "sub/secret.txt" while sub was a folder of the workspace; then sub became a
  // link to a folder outside holding a file of the same name. The open follows the new link (only
  // the last component is O_NOFOLLOW), so what decides is where the opened descriptor really is.
  async function swapped(): Promise<{ real: string; root: string }> {
    await ws.write("sub/secret.txt", "inside");
    await mkdir(path.join(ws.outside, "sub"), { recursive: true });
    await writeFile(path.join(ws.outside, "sub", "secret.txt"), "outside");
    const guard = createWorkspaceGuard(ws.root);
    const real = await guard.resolve("sub/secret.txt");
    await rename(path.join(ws.root, "sub"), path.join(ws.root, "sub-before"));
    await symlink(path.join(ws.outside, "sub"), path.join(ws.root, "sub"));
    return { real, root: guard.root };
  }

  it("is refused by the synchronous and the handle reader, naming where the file was opened", async () => {
    const { real, root } = await swapped();
    const where = path.join(ws.outside, "sub", "secret.txt");
    const expected = { code: "outside", message: `sub/secret.txt: was opened at ${where}, outside the workspace (a folder on its path was swapped for a symbolic link); not read` };
    expect(await refusal(Promise.resolve().then(() => readRegularFileSync(real, "sub/secret.txt", CAP, root)))).toEqual(expected);
    expect(await refusal(openRegularFile(real, "sub/secret.txt", CAP, root))).toEqual(expected);
    // Without the workspace to check against, the same call reads the outside file: the check is what stops it.
    expect(readRegularFileSync(real, "sub/secret.txt", CAP).toString()).toBe("outside");
  });

  it("is refused by the async reader too, and a fresh guard refuses the link by name before opening", async () => {
    const { real, root } = await swapped();
    expect((await refusal(readRegularFile(real, "sub/secret.txt", CAP, root))).code).toBe("outside");
    // A fresh guard sees the link and refuses by name before opening anything.
    await expect(createWorkspaceGuard(ws.root).resolve("sub/secret.txt")).rejects.toThrow("leads through a symbolic link");
  });
});
