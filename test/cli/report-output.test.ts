// `-o FILE` as a careful shell redirection: through symlinks, into FIFOs and character devices,
// atomically for regular files with their mode kept, never replacing a device node.
import { execFileSync } from "node:child_process";
import { createReadStream } from "node:fs";
import { chmod, lstat, mkdir, mkdtemp, open, readdir, readFile, readlink, realpath, stat, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { beforeEach, describe, expect, it } from "vitest";
import { CliError } from "../../src/cli/exit-codes.js";
import { checkOutputPath, deliverReport, writeReportFile } from "../../src/cli/report-output.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "agentwf-report-"));
});

const mode = async (file: string) => (await stat(file)).mode & 0o777;

/** A device node in the test folder when we may make one (root), else the system's own. */
function charDevice(name: string, minor: number, fallback: string): string {
  const file = path.join(dir, name);
  try {
    execFileSync("mknod", [file, "c", "1", String(minor)], { stdio: "ignore" });
    return file;
  } catch {
    return fallback;
  }
}

describe("writeReportFile", () => {
  it("creates a new file with the person's umask, like > FILE", async () => {
    const file = path.join(dir, "report.md");
    const reference = path.join(dir, "reference");
    await writeFile(reference, "");
    await writeReportFile(file, "# Report\n");
    expect(await readFile(file, "utf8")).toBe("# Report\n");
    expect(await mode(file)).toBe(await mode(reference));
    expect(await readdir(dir)).toEqual(["reference", "report.md"]);
  });

  it.each([0o600, 0o640, 0o755])("keeps an existing file's mode %s", async (kept) => {
    const file = path.join(dir, "report.md");
    await writeFile(file, "old");
    await chmod(file, kept);
    await writeReportFile(file, "new\n");
    expect(await readFile(file, "utf8")).toBe("new\n");
    expect(await mode(file)).toBe(kept);
  });

  it("keeps the permission bits but not setuid, and takes a name near the length limit", async () => {
    const file = path.join(dir, "r".repeat(250));
    await writeFile(file, "old");
    await chmod(file, 0o4750);
    await writeReportFile(file, "new\n");
    expect(await readFile(file, "utf8")).toBe("new\n");
    expect((await stat(file)).mode & 0o7777).toBe(0o750);
  });

  it("replaces a regular file whole: a reader of the old one still reads all of the old one", async () => {
    const file = path.join(dir, "report.md");
    await writeFile(file, "old report, complete\n");
    const reader = await open(file, "r");
    try {
      await writeReportFile(file, "new report\n");
      expect(await reader.readFile("utf8")).toBe("old report, complete\n");
    } finally {
      await reader.close();
    }
    expect(await readFile(file, "utf8")).toBe("new report\n");
    expect(await readdir(dir)).toEqual(["report.md"]);
  });

  it("writes through a symlink (and a chain of them) to the real file, keeping the links", async () => {
    await mkdir(path.join(dir, "real"));
    const real = path.join(dir, "real", "report.md");
    await writeFile(real, "old");
    await chmod(real, 0o600);
    await symlink("real/report.md", path.join(dir, "first"));
    await symlink("first", path.join(dir, "second"));
    await writeReportFile(path.join(dir, "second"), "through\n");
    expect(await readFile(real, "utf8")).toBe("through\n");
    expect(await mode(real)).toBe(0o600);
    expect(await readlink(path.join(dir, "second"))).toBe("first");
    expect(await readlink(path.join(dir, "first"))).toBe("real/report.md");
    expect(await readdir(path.join(dir, "real"))).toEqual(["report.md"]);
  });

  it("creates a dangling symlink's target, as > does, and keeps the link", async () => {
    await mkdir(path.join(dir, "out"));
    await symlink("out/new.md", path.join(dir, "link"));
    await writeReportFile(path.join(dir, "link"), "created\n");
    expect(await readFile(path.join(dir, "out", "new.md"), "utf8")).toBe("created\n");
    expect((await lstat(path.join(dir, "link"))).isSymbolicLink()).toBe(true);
  });

  it("writes into a FIFO for its reader, and the FIFO stays a FIFO", async () => {
    const fifo = path.join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    const chunks: Buffer[] = [];
    const read = new Promise<string>((resolve, reject) => {
      createReadStream(fifo)
        .on("data", (chunk) => chunks.push(Buffer.from(chunk)))
        .on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
        .on("error", reject);
    });
    await writeReportFile(fifo, "to the reader\n");
    expect(await read).toBe("to the reader\n");
    expect((await lstat(fifo)).isFIFO()).toBe(true);
  });

  it("writes into /dev/null through a symlink, which stays a character device", async () => {
    await symlink("/dev/null", path.join(dir, "null-link"));
    await writeReportFile(path.join(dir, "null-link"), "gone\n");
    await writeReportFile("/dev/null", "gone\n");
    expect((await stat("/dev/null")).isCharacterDevice()).toBe(true);
    expect((await lstat(path.join(dir, "null-link"))).isSymbolicLink()).toBe(true);
  });

  it("never replaces a device node: a full device fails the write and stays a device", async () => {
    const full = charDevice("full", 7, "/dev/full");
    const before = await lstat(full);
    await expect(writeReportFile(full, "report\n")).rejects.toThrow(/ENOSPC/);
    const after = await lstat(full);
    expect(after.isCharacterDevice()).toBe(true);
    expect([after.ino, after.rdev]).toEqual([before.ino, before.rdev]);
  });

  it("says where the temporary file could not be made when the folder takes no new files", async () => {
    // /proc takes no new files, even from root.
    await expect(writeReportFile("/proc/agentwf-report.md", "x")).rejects.toThrow(
      /^cannot create a temporary file in \/proc to replace agentwf-report\.md whole \(E[A-Z]+\); choose a path in a folder you can write to$/,
    );
  });

  it("refuses a block device without opening it", async () => {
    const block = path.join(dir, "block");
    try {
      // A major number no driver has: were it opened, nothing could be written anyway.
      execFileSync("mknod", [block, "b", "240", "0"], { stdio: "ignore" });
    } catch {
      return; // only root can make one
    }
    await expect(writeReportFile(block, "x")).rejects.toThrow(`${block} is a block device; agentwf writes reports only to files, FIFOs and character devices`);
    expect((await lstat(block)).isBlockDevice()).toBe(true);
  });
});

describe("checkOutputPath", () => {
  it("refuses a directory, a missing directory and a block device before the run", async () => {
    expect(() => checkOutputPath(".", dir)).toThrow(new CliError("-o .: is a directory; give a file path", 2));
    expect(() => checkOutputPath("nope/r.md", dir)).toThrow(`-o nope/r.md: the directory ${path.join(dir, "nope")} does not exist; create it or choose another path`);
    await symlink(".", path.join(dir, "dir-link"));
    expect(() => checkOutputPath("dir-link", dir)).toThrow("-o dir-link: is a directory; give a file path");
  });

  it("accepts a new file, a symlink, a FIFO and a character device, returning the path as given", async () => {
    execFileSync("mkfifo", [path.join(dir, "pipe")]);
    await symlink("elsewhere.md", path.join(dir, "dangling"));
    for (const name of ["new.md", "pipe", "dangling"]) expect(checkOutputPath(name, dir)).toBe(path.join(dir, name));
    expect(checkOutputPath("/dev/null", dir)).toBe("/dev/null");
  });

  it("refuses a link in the workspace that leads outside it, directly, through a chain or a folder link, and follows the person's own outside path", async () => {
    const workspace = path.join(dir, "repo");
    const outside = path.join(dir, "home");
    await mkdir(path.join(workspace, "sub"), { recursive: true });
    await mkdir(outside);
    const real = await realpath(outside);
    await symlink("../home/.bashrc", path.join(workspace, "AUDIT.md"));
    await symlink("AUDIT.md", path.join(workspace, "chain.md"));
    await symlink("../home", path.join(workspace, "out"));
    await symlink("sub/inside.md", path.join(workspace, "inside-link.md"));
    const refused = (name: string, target: string) =>
      `-o ${name}: a symbolic link in the workspace to ${target}, outside it; the repository may have planted it, so give that path itself if you mean it`;
    expect(() => checkOutputPath("AUDIT.md", workspace, workspace)).toThrow(new CliError(refused("AUDIT.md", path.join(real, ".bashrc")), 2));
    expect(() => checkOutputPath("chain.md", workspace, workspace)).toThrow(refused("chain.md", path.join(real, ".bashrc")));
    expect(() => checkOutputPath("out/r.md", workspace, workspace)).toThrow(refused("out/r.md", path.join(real, "r.md")));
    expect(checkOutputPath("inside-link.md", workspace, workspace)).toBe(path.join(workspace, "inside-link.md"));
    expect(checkOutputPath(path.join(outside, "r.md"), workspace, workspace)).toBe(path.join(outside, "r.md"));
  });
});

describe("deliverReport", () => {
  const hostile = `# Report\nclip ${"\x1b"}]52;c;cm0gLXJmIH4=\x07 title ${"\x1b"}]0;pwned${"\x1b"}\\ link ${"\x1b"}]8;;https://evil/${"\x1b"}\\here${"\x1b"}]8;;${"\x1b"}\\ \u202eevil\u2066 \x9b2J end`;
  const safe = "# Report\nclip  title  link here evil  end\n";

  async function deliver(outputFormat: "text" | "json", outputFile?: string): Promise<{ stdout: string; warnings: string[]; ok: boolean }> {
    const stdout = new PassThrough();
    const chunks: string[] = [];
    stdout.on("data", (c: Buffer) => chunks.push(c.toString("utf8")));
    const warnings: string[] = [];
    const ok = await deliverReport({
      report: hostile,
      summary: { type: "result", report: hostile },
      outputFormat,
      outputFile,
      outputFlag: outputFile,
      stdout,
      warn: (line) => warnings.push(line),
    });
    return { stdout: chunks.join(""), warnings, ok };
  }

  it("strips the report on a pipe and in the -o file alike", async () => {
    const file = path.join(dir, "report.md");
    const out = await deliver("text", file);
    expect(out).toEqual({ stdout: safe, warnings: [], ok: true });
    expect(await readFile(file, "utf8")).toBe(safe);
  });

  it("keeps the JSON's value exact and writes what a terminal would obey as \\u escapes", async () => {
    const out = await deliver("json");
    expect(out.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e\u2066]/);
    expect(out.stdout).toContain("\\u202eevil\\u2066 \\u009b2J end");
    expect(JSON.parse(out.stdout)).toEqual({ type: "result", report: hostile });
  });

  it("says in one line when -o could not be written, and still prints the report", async () => {
    const out = await deliver("text", path.join(dir, "missing", "r.md"));
    expect(out.ok).toBe(false);
    expect(out.stdout).toBe(safe);
    expect(out.warnings).toEqual([`agentwf: could not write the report to ${dir}/missing/r.md: ENOENT: no such file or directory, realpath '${dir}/missing'\n`]);
  });
});
