// The command line that starts a shell in a mode's sandbox, argument by argument: which system
// directories are bound read-only, that the person's home never is, where the workspace is
// writable, that .git stays read-only, and that .env files are covered by an empty file.
import { existsSync, lstatSync, readlinkSync } from "node:fs";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SANDBOX_HOME, bwrapArgs, sandboxCommand, systemDirArgs, type SandboxPaths } from "../../../src/tools/shell/sandbox-command.js";

// What this machine has at /bin, /lib…: links into /usr (merged /usr) or directories.
function systemDirs(): string[] {
  const args = ["--ro-bind", "/usr", "/usr"];
  for (const dir of ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]) {
    if (!existsSync(dir)) continue;
    const info = lstatSync(dir);
    if (info.isSymbolicLink()) args.push("--symlink", readlinkSync(dir), dir);
    else if (info.isDirectory()) args.push("--ro-bind", dir, dir);
  }
  return args;
}

const ETC = [
  "/etc/ld.so.cache",
  "/etc/ld.so.conf",
  "/etc/ld.so.conf.d",
  "/etc/alternatives",
  "/etc/passwd",
  "/etc/group",
  "/etc/nsswitch.conf",
  "/etc/localtime",
  "/etc/hosts",
  "/etc/ssl",
  "/etc/ca-certificates",
  "/etc/bash.bashrc",
  "/etc/profile",
].flatMap((file) => ["--ro-bind-try", file, file]);

const SHELL = ["/bin/bash", "/usr/bin/bash"].find((candidate) => existsSync(candidate)) ?? "/bin/sh";

let root: string;
let ws: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "agentwf-sandbox-command-"));
  ws = path.join(root, "ws");
  await mkdir(ws);
});
afterEach(() => rm(root, { recursive: true, force: true }));

const paths = (extra: Partial<SandboxPaths> = {}): SandboxPaths => ({ workspace: ws, programDirs: [], ...extra });

describe("the system directories", () => {
  it("binds a directory read-only, recreates a link as a link, and skips a file or a missing name", async () => {
    await mkdir(path.join(root, "lib"));
    await symlink("usr/bin", path.join(root, "bin"));
    await writeFile(path.join(root, "file"), "");
    const dirs = ["lib", "bin", "file", "missing"].map((name) => path.join(root, name));
    expect(systemDirArgs(dirs)).toEqual(["--ro-bind", "/usr", "/usr", "--ro-bind", dirs[0], dirs[0], "--symlink", "usr/bin", dirs[1]]);
  });
});

describe("bwrap's arguments", () => {
  it("read-only without network: namespaces, system directories, /etc's few files, tmpfs home, the workspace at its own path", () => {
    expect(bwrapArgs("read-only", paths(), false)).toEqual([
      "--unshare-all",
      "--die-with-parent",
      "--new-session",
      ...systemDirs(),
      ...ETC,
      "--proc",
      "/proc",
      "--dev",
      "/dev",
      "--tmpfs",
      "/tmp",
      "--dir",
      "/tmp/home",
      "--bind",
      ws,
      ws,
      "--chdir",
      ws,
      "--",
    ]);
    expect(SANDBOX_HOME).toBe("/tmp/home");
  });

  it("shares the network and name resolution only when asked", () => {
    const args = bwrapArgs("read-only", paths(), true);
    expect(args.slice(0, 4)).toEqual(["--unshare-all", "--share-net", "--die-with-parent", "--new-session"]);
    const resolv = args.indexOf("/etc/resolv.conf");
    expect(args.slice(resolv - 1, resolv + 3)).toEqual(["--ro-bind-try", "/etc/resolv.conf", "/etc/resolv.conf", "--proc"]);
    expect(bwrapArgs("read-only", paths(), false)).not.toContain("/etc/resolv.conf");
  });

  it("binds program directories read-only, except those under /usr or inside the workspace", () => {
    const args = bwrapArgs("workspace-write", paths({ programDirs: ["/opt/node/bin", "/usr/local/bin", path.join(ws, "node_modules/.bin"), "/home/me/.local/bin"] }), false);
    const home = args.indexOf(SANDBOX_HOME);
    expect(args.slice(home + 1, args.indexOf("--bind"))).toEqual(["--ro-bind-try", "/opt/node/bin", "/opt/node/bin", "--ro-bind-try", "/home/me/.local/bin", "/home/me/.local/bin"]);
  });

  it("workspace-write keeps .git read-only when there is one", async () => {
    expect(bwrapArgs("workspace-write", paths(), false).slice(-8)).toEqual(["--dir", "/tmp/home", "--bind", ws, ws, "--chdir", ws, "--"]);
    await mkdir(path.join(ws, ".git"));
    const git = path.join(ws, ".git");
    expect(bwrapArgs("workspace-write", paths(), false).slice(-9)).toEqual(["--bind", ws, ws, "--ro-bind", git, git, "--chdir", ws, "--"]);
    // read-only needs no such bind: the overlay's scratch layer takes every write.
    expect(bwrapArgs("read-only", paths(), false).slice(-6)).toEqual(["--bind", ws, ws, "--chdir", ws, "--"]);
  });

  it("covers each hidden .env file with the empty file, after the workspace's bind", () => {
    const hidden = { files: [path.join(ws, ".env"), path.join(ws, "app/.env.local")], empty: "/tmp/agentwf-empty" };
    expect(bwrapArgs("read-only", paths({ hidden }), false).slice(-12)).toEqual([
      "--bind",
      ws,
      ws,
      "--ro-bind",
      "/tmp/agentwf-empty",
      path.join(ws, ".env"),
      "--ro-bind",
      "/tmp/agentwf-empty",
      path.join(ws, "app/.env.local"),
      "--chdir",
      ws,
      "--",
    ]);
  });
});

describe("the whole command", () => {
  it("danger-full-access runs the shell itself, without a sandbox", () => {
    expect(sandboxCommand("danger-full-access", paths(), true, "echo hi")).toEqual({ file: SHELL, args: ["-c", "echo hi"] });
  });

  it("workspace-write runs the shell inside bwrap", () => {
    expect(sandboxCommand("workspace-write", paths(), false, "make test")).toEqual({ file: "bwrap", args: [...bwrapArgs("workspace-write", paths(), false), SHELL, "-c", "make test"] });
  });

  it("read-only mounts the kept overlay layers in a user namespace, the paths as positional arguments", () => {
    const overlay = { kind: "kept", upper: "/scratch/upper", work: "/scratch/work" } as const;
    expect(sandboxCommand("read-only", paths({ overlay }), false, "ls")).toEqual({
      file: "unshare",
      args: [
        "-Urm",
        "/bin/sh",
        "-c",
        'mount -t overlay overlay -o "lowerdir=$1,upperdir=$2,workdir=$3" "$1" || exit 125; shift 3; exec "$@"',
        "sh",
        ws,
        "/scratch/upper",
        "/scratch/work",
        "bwrap",
        ...bwrapArgs("read-only", paths(), false),
        SHELL,
        "-c",
        "ls",
      ],
    });
  });

  it("read-only with a per-call layer mounts a tmpfs first", () => {
    const overlay = { kind: "per-call", mountPoint: "/scratch/layer" } as const;
    expect(sandboxCommand("read-only", paths({ overlay }), true, "ls").args.slice(0, 9)).toEqual([
      "-Urm",
      "/bin/sh",
      "-c",
      'mount -t tmpfs -o mode=0700 tmpfs "$2" && mkdir "$2/u" "$2/w" && mount -t overlay overlay -o "lowerdir=$1,upperdir=$2/u,workdir=$2/w" "$1" || exit 125; shift 3; exec "$@"',
      "sh",
      ws,
      "/scratch/layer",
      "-",
      "bwrap",
    ]);
  });

  it("read-only refuses to start without an overlay", () => {
    expect(() => sandboxCommand("read-only", paths(), false, "ls")).toThrow("read-only mode needs an overlay's scratch directories");
  });
});
