// The command line that starts a shell in the sandbox of a mode. bubblewrap (`bwrap`) builds the
// sandbox: new user, PID, IPC, UTS, cgroup and (unless --network) network namespaces, a root of
// its own in which only the system's read-only directories, a tmpfs HOME and /tmp, and the
// workspace exist; never the person's home, where keys live.
//
// read-only: bwrap 0.8 has no --overlay, so the workspace's copy-on-write layer is made one step
// earlier: `unshare -Urm` gives a user and mount namespace in which the kernel's overlayfs may be
// mounted over the workspace's own path (lower: the real workspace; upper and work: a scratch
// directory of agentwf's), and bwrap, started inside that namespace, binds what it sees there.
// Every write lands in the scratch directory, which is thrown away; the real files never change.
import { existsSync, lstatSync, readlinkSync } from "node:fs";
import path from "node:path";
import type { SandboxMode } from "../../config/sandbox-mode.js";
import { isInside } from "../../workspace/workspace-guard.js";

export interface SandboxPaths {
  /** The workspace's real path: it appears at the same path inside. */
  readonly workspace: string;
  /**
   * For read-only: where the overlay's writes go. `kept`: upper and work directories of agentwf's
   * (same file system, empty at first), kept between one agent's commands. `per-call`: a tmpfs
   * mounted at `mountPoint` inside the namespace, gone when the command ends; for where the
   * temporary directory's file system cannot be an overlay's upper layer (itself an overlay, as
   * in many containers).
   */
  readonly overlay?: { readonly kind: "kept"; readonly upper: string; readonly work: string } | { readonly kind: "per-call"; readonly mountPoint: string };
  /** Files inside the workspace that commands must not read (`.env*`), and the empty file shown in their place. */
  readonly hidden?: { readonly files: readonly string[]; readonly empty: string };
  /** Directories with programs the commands need besides /usr (node's prefix, PATH entries), already checked by the caller. */
  readonly programDirs: readonly string[];
}

export interface SandboxCommand {
  readonly file: string;
  readonly args: readonly string[];
}

export const SANDBOX_HOME = "/tmp/home";
// bash where there is one; /bin/sh, which every POSIX system has, otherwise.
const SHELLS = ["/bin/bash", "/usr/bin/bash"];

// What programs need from /etc to start and resolve names; not the rest (shadow, ssh keys…).
const ETC_FILES = [
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
];

const SYSTEM_DIRS = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

/** /bin, /lib, /lib64… are links into /usr on merged-/usr systems and directories elsewhere. */
export function systemDirArgs(dirs: readonly string[] = SYSTEM_DIRS): string[] {
  const args: string[] = ["--ro-bind", "/usr", "/usr"];
  for (const dir of dirs) {
    let info;
    try {
      info = lstatSync(dir);
    } catch {
      continue;
    }
    if (info.isSymbolicLink()) args.push("--symlink", readlinkSync(dir), dir);
    else if (info.isDirectory()) args.push("--ro-bind", dir, dir);
  }
  return args;
}

function shell(): string {
  return SHELLS.find((candidate) => existsSync(candidate)) ?? "/bin/sh";
}

/** bwrap's arguments up to and including `--`, for a mode that has a sandbox. */
export function bwrapArgs(mode: Exclude<SandboxMode, "danger-full-access">, paths: SandboxPaths, network: boolean): string[] {
  const args = ["--unshare-all", ...(network ? ["--share-net"] : []), "--die-with-parent", "--new-session"];
  args.push(...systemDirArgs());
  for (const file of ETC_FILES) args.push("--ro-bind-try", file, file);
  if (network) args.push("--ro-bind-try", "/etc/resolv.conf", "/etc/resolv.conf");
  args.push("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--dir", SANDBOX_HOME);
  for (const dir of paths.programDirs) {
    if (isInside("/usr", dir) || isInside(paths.workspace, dir)) continue;
    args.push("--ro-bind-try", dir, dir);
  }
  const ws = paths.workspace;
  switch (mode) {
    case "read-only":
      // The overlay is already mounted at the workspace's path in the enclosing namespace; the
      // bind is writable because writes go to the scratch layer.
      args.push("--bind", ws, ws);
      break;
    case "workspace-write":
      args.push("--bind", ws, ws);
      // Git's own files stay as they are: a hook or config written here would run on the person's next commit.
      if (existsSync(path.join(ws, ".git"))) args.push("--ro-bind", path.join(ws, ".git"), path.join(ws, ".git"));
      break;
    default: {
      const unreachable: never = mode;
      return unreachable;
    }
  }
  // Where projects keep their keys: commands see an empty file there unless the person allowed
  // reading them. (Not /dev/null: device files do not open in a user namespace's mounts.)
  const hidden = paths.hidden;
  if (hidden !== undefined) for (const file of hidden.files) args.push("--ro-bind", hidden.empty, file);
  args.push("--chdir", ws, "--");
  return args;
}

/** The whole command that runs `script` in the sandbox of `mode`. */
export function sandboxCommand(mode: SandboxMode, paths: SandboxPaths, network: boolean, script: string): SandboxCommand {
  const sh = shell();
  switch (mode) {
    case "danger-full-access":
      return { file: sh, args: ["-c", script] };
    case "workspace-write":
      return { file: "bwrap", args: [...bwrapArgs(mode, paths, network), sh, "-c", script] };
    case "read-only": {
      const overlay = paths.overlay;
      if (overlay === undefined) throw new Error("read-only mode needs an overlay's scratch directories");
      // Paths go in as positional arguments, never spliced into the script's text.
      const mount =
        overlay.kind === "kept"
          ? 'mount -t overlay overlay -o "lowerdir=$1,upperdir=$2,workdir=$3" "$1" || exit 125; shift 3; exec "$@"'
          : 'mount -t tmpfs -o mode=0700 tmpfs "$2" && mkdir "$2/u" "$2/w" && mount -t overlay overlay -o "lowerdir=$1,upperdir=$2/u,workdir=$2/w" "$1" || exit 125; shift 3; exec "$@"';
      const [second, third] = overlay.kind === "kept" ? [overlay.upper, overlay.work] : [overlay.mountPoint, "-"];
      return {
        file: "unshare",
        args: ["-Urm", "/bin/sh", "-c", mount, "sh", paths.workspace, second, third, "bwrap", ...bwrapArgs(mode, paths, network), sh, "-c", script],
      };
    }
    default: {
      const unreachable: never = mode;
      return unreachable;
    }
  }
}
