// The pieces of the hostile-repository suite: a person's home with a private key in it, a freshly
// committed repository inside that home written by an attacker, the built CLI driven as a person
// runs it, and the checks every case ends with (no key sent anywhere else, no outside secret
// shown, the process ended, nothing changed). The servers are in hostile-repo-servers.ts.
import { createHash, randomBytes } from "node:crypto";
import { chmod, lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa, type ResultPromise } from "execa";
import { expect, type TestContext } from "vitest";
import { startFakeServer, type FakeServer, type Handler } from "../helpers/fake-openai-server.js";
import { BIN } from "../helpers/run-cli.js";
import { startAttacker, type Attacker } from "./hostile-repo-servers.js";

export { forwardPort, startAttacker, startMisbehavingServer, type Attacker, type Misbehaviour } from "./hostile-repo-servers.js";

/** What a fixture file is: text, text with a mode, a symlink, or a FIFO (never committed: git has no FIFOs). */
export type Entry = string | { readonly text: string; readonly mode: number } | { readonly symlink: string } | { readonly fifo: true };

export interface Fixture {
  /** A temp folder holding everything below. */
  readonly root: string;
  /** The person's HOME: `.ssh/id_rsa`, `outside/`, the repository, and the state dir. */
  readonly home: string;
  /** AGENTWF_HOME, inside home (runs are written here; left out of the home's digest). */
  readonly state: string;
  /** The cloned repository: home/code/repo, so `../../.ssh/id_rsa` from its root is the key. */
  readonly repo: string;
  /** home/outside: the person's other files (`secret.txt`), next to the repository's parent. */
  readonly outside: string;
  /** root/out: where tests point -o; not part of any digest. */
  readonly out: string;
  /** Values that must never leave: the private key's marker, the outside file's, and API keys. */
  readonly secrets: Readonly<Record<"ssh" | "outside" | "openaiKey" | "anthropicKey" | "agentwfKey", string>>;
}

const marker = (label: string) => `${label}-${randomBytes(8).toString("hex")}`;

async function writeEntry(file: string, entry: Entry): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  if (typeof entry === "string") return writeFile(file, entry);
  if ("symlink" in entry) return symlink(entry.symlink, file);
  if ("fifo" in entry) {
    await execa("mkfifo", [file]);
    return;
  }
  await writeFile(file, entry.text);
  await chmod(file, entry.mode);
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: "attacker",
  GIT_AUTHOR_EMAIL: "attacker@example.invalid",
  GIT_COMMITTER_NAME: "attacker",
  GIT_COMMITTER_EMAIL: "attacker@example.invalid",
  GIT_CONFIG_NOSYSTEM: "1",
};

/**
 * A person's home with a private key and an outside secret, and in it a repository whose
 * `committed` files (symlinks included) are committed with a real `git init`; `uncommitted`
 * entries (FIFOs) are added to the working tree afterwards.
 */
export async function hostileRepo(committed: Readonly<Record<string, Entry>>, uncommitted: Readonly<Record<string, Entry>> = {}): Promise<Fixture> {
  const root = await mkdtemp(path.join(os.tmpdir(), "agentwf-hostile-"));
  const home = path.join(root, "home");
  const repo = path.join(home, "code", "repo");
  const outside = path.join(home, "outside");
  const state = path.join(home, ".local", "state", "agentwf");
  const out = path.join(root, "out");
  const secrets = {
    ssh: marker("SSH-PRIVATE-KEY"),
    outside: marker("OUTSIDE-SECRET"),
    openaiKey: marker("sk-openai-KEY"),
    anthropicKey: marker("sk-ant-KEY"),
    agentwfKey: marker("agentwf-KEY"),
  };
  await writeEntry(path.join(home, ".ssh", "id_rsa"), {
    text: `-----BEGIN OPENSSH PRIVATE KEY-----\n${secrets.ssh}\n-----END OPENSSH PRIVATE KEY-----\n`,
    mode: 0o600,
  });
  await writeEntry(path.join(outside, "secret.txt"), `MARK ${secrets.outside}\n`);
  await mkdir(repo, { recursive: true });
  await mkdir(out, { recursive: true });
  // The person has used agentwf before: its state dir exists (left out of the home's digest).
  await mkdir(state, { recursive: true, mode: 0o700 });
  for (const [name, entry] of Object.entries(committed)) await writeEntry(path.join(repo, name), entry);
  const git = (...args: string[]) => execa("git", args, { cwd: repo, env: { ...GIT_ENV, HOME: home }, extendEnv: true });
  await git("init", "-q");
  await git("add", "-A");
  await git("commit", "-q", "--allow-empty", "-m", "a repository you just cloned");
  for (const [name, entry] of Object.entries(uncommitted)) await writeEntry(path.join(repo, name), entry);
  return { root, home, state, repo, outside, out, secrets };
}

/** Every entry under `dir` by relative path: type, mode, and content hash or link target. */
export async function treeDigest(dir: string, skip: readonly string[] = []): Promise<Record<string, string>> {
  const digest: Record<string, string> = {};
  const walk = async (relative: string): Promise<void> => {
    const full = path.join(dir, relative);
    const info = await lstat(full);
    const mode = (info.mode & 0o7777).toString(8);
    if (info.isSymbolicLink()) digest[relative] = `link ${await readlink(full)}`;
    else if (info.isFile()) digest[relative] = `file ${mode} ${createHash("sha256").update(await readFile(full)).digest("hex")}`;
    else if (info.isFIFO()) digest[relative] = `fifo ${mode}`;
    else if (info.isDirectory()) {
      digest[relative] = `dir ${mode}`;
      for (const name of (await readdir(full)).sort()) {
        const child = path.join(relative, name);
        if (!skip.includes(child)) await walk(child);
      }
    } else digest[relative] = `other ${mode}`;
  };
  await walk(".");
  return digest;
}

/** The person's home, repository included, without the state dir agentwf may write to. */
export const homeDigest = (fx: Fixture) => treeDigest(fx.home, [path.relative(fx.home, fx.state)]);

export interface CliOutcome {
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  readonly stdout: string;
  readonly stderr: string;
  /** The harness had to kill it: it did not end by itself (or within the grace after a signal). */
  readonly killed: boolean;
}

export interface RunningCli {
  readonly pid: number | undefined;
  /** Resolves once stderr has matched `pattern` (progress lines go to stderr without a terminal). */
  stderrMatches(pattern: RegExp): Promise<void>;
  /** Sends `signal`, and SIGKILL if the process is still there `graceMs` later. */
  signal(signal: NodeJS.Signals, graceMs?: number): void;
  readonly done: Promise<CliOutcome>;
}

export interface CliOptions {
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** A process still running this long after start is killed and reported as `killed`. */
  readonly killAfterMs?: number;
  /** Runs the CLI through `sh -c 'umask …; exec node …'`. */
  readonly umask?: string;
}

const SHARED_CACHE = path.join(os.tmpdir(), "agentwf-test-cache");

/**
 * The environment of the person: their HOME, a private state dir, no color, no retries, and a cache
 * folder outside the digested home (agentwf keeps V8's compile cache of its own modules there). The
 * cache is shared and never removed by a test: a sandbox child still flushing it as it exits would
 * race the removal of the fixture.
 */
export function personEnv(fx: Fixture, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "", HOME: fx.home, AGENTWF_HOME: fx.state, XDG_CACHE_HOME: SHARED_CACHE, NO_COLOR: "1", AGENTWF_MAX_RETRIES: "0", ...extra };
}

/** Starts `node bin/agentwf.js ARGS` (plain node, as `agentwf` runs) in the repository. */
export function startCli(fx: Fixture, args: readonly string[], options: CliOptions = {}): RunningCli {
  const command = options.umask !== undefined ? "sh" : process.execPath;
  const argv = options.umask !== undefined ? ["-c", `umask ${options.umask}; exec "$0" "$@"`, process.execPath, BIN, ...args] : [BIN, ...args];
  const child: ResultPromise = execa(command, argv, {
    cwd: options.cwd ?? fx.repo,
    env: options.env ?? personEnv(fx),
    extendEnv: false,
    reject: false,
    stdin: "ignore",
    // Its own process group: a kill by the harness takes whatever it started too (a relaunched
    // CLI, the sandbox child), so no leftover holds the pipes open and the case always ends.
    detached: true,
  });
  let killed = false;
  const killGroup = () => {
    killed = true;
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // The group is already gone.
    }
  };
  const deadline = setTimeout(killGroup, options.killAfterMs ?? 45_000);
  let stderrText = "";
  const watchers: Array<{ pattern: RegExp; resolve: () => void }> = [];
  child.stderr?.on("data", (chunk: Buffer) => {
    stderrText += chunk.toString("utf8");
    for (const watcher of watchers.splice(0)) {
      if (watcher.pattern.test(stderrText)) watcher.resolve();
      else watchers.push(watcher);
    }
  });
  const done = child.then((result) => {
    clearTimeout(deadline);
    return { exitCode: result.exitCode, signal: result.signal, stdout: String(result.stdout), stderr: String(result.stderr), killed };
  });
  return {
    pid: child.pid,
    stderrMatches(pattern) {
      if (pattern.test(stderrText)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        watchers.push({ pattern, resolve });
        void done.then(() => reject(new Error(`the CLI ended before stderr matched ${pattern}; stderr:\n${stderrText}`)));
      });
    },
    signal(signal, graceMs = 10_000) {
      // To the CLI's own pid only, as `kill -INT PID` does; the grace kill takes the whole group.
      child.kill(signal);
      const timer = setTimeout(killGroup, graceMs);
      void done.finally(() => clearTimeout(timer));
    },
    done,
  };
}

/** Runs the CLI to its end. */
export const runCliIn = (fx: Fixture, args: readonly string[], options: CliOptions = {}) => startCli(fx, args, options).done;

/** Which secrets (by name) appear in which of `places` (by name); empty when none leaked. */
export function leaks(fx: Fixture, places: Readonly<Record<string, string>>, names: ReadonlyArray<keyof Fixture["secrets"]> = ["ssh", "outside", "openaiKey", "anthropicKey", "agentwfKey"]): string[] {
  const found: string[] = [];
  for (const [place, text] of Object.entries(places)) {
    for (const name of names) if (text.includes(fx.secrets[name])) found.push(`${name} in ${place}`);
  }
  return found;
}

/** What the model server was sent, bodies only (a key belongs in the Authorization header). */
export const requestBodies = (server: FakeServer | undefined) => JSON.stringify(server?.requests.map((r) => r.body) ?? []);

/** Raw C0/C1 controls other than newline and tab, and bidi overrides/isolates. */
// eslint-disable-next-line no-control-regex
export const UNSAFE_TEXT = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

// ---- The scenario every case starts from and the checks it ends with ----

export type Hooks = Pick<TestContext, "onTestFinished">;

export interface Scenario {
  readonly fx: Fixture;
  readonly attacker: Attacker;
  readonly before: Record<string, string>;
}

/** The attacker's listener, then the repository (which may name the listener), then the digest. */
export async function scenario(
  { onTestFinished }: Hooks,
  build: (attackerUrl: string) => { committed?: Record<string, Entry>; uncommitted?: Record<string, Entry> } = () => ({}),
  attackerPort = 0,
): Promise<Scenario> {
  const attacker = await startAttacker(attackerPort);
  onTestFinished(() => attacker.close());
  const { committed = {}, uncommitted = {} } = build(attacker.url);
  const fx = await hostileRepo(committed, uncommitted);
  onTestFinished(() => rm(fx.root, { recursive: true, force: true }));
  return { fx, attacker, before: await homeDigest(fx) };
}

export async function modelServer({ onTestFinished }: Hooks, handler: Handler): Promise<FakeServer> {
  const server = await startFakeServer(handler);
  onTestFinished(() => server.close());
  return server;
}

/** The checks every case ends with; `written` are paths under home the person asked to be written. */
export async function expectSafe(
  s: Scenario,
  run: CliOutcome,
  seen: { server?: FakeServer; report?: string; attackers?: Attacker[]; written?: string[] } = {},
): Promise<void> {
  expect(run.killed, `the CLI had to be killed: it did not end by itself\nstderr:\n${run.stderr.slice(-2000)}`).toBe(false);
  for (const attacker of [s.attacker, ...(seen.attackers ?? [])]) expect(attacker.received()).toEqual({ connections: 0, bytes: "" });
  expect(
    leaks(s.fx, { "the model server's requests": requestBodies(seen.server), stdout: run.stdout, stderr: run.stderr, report: seen.report ?? "" }),
  ).toEqual([]);
  const after = await homeDigest(s.fx);
  for (const written of seen.written ?? []) delete after[written];
  expect(after).toEqual(s.before);
}

export const WITH_SERVER = (s: Scenario, server: FakeServer, extra: Record<string, string> = {}) =>
  personEnv(s.fx, { AGENTWF_BASE_URL: server.baseUrl, AGENTWF_API_KEY: s.fx.secrets.agentwfKey, ...extra });

export const REPO_FILES: Record<string, Entry> = {
  "README.md": "# a small project\n",
  "src/a.txt": "MARK in the repository\n",
  "src/app.ts": "export const app = 1;\n",
};

/** Every file under `dir`, concatenated (the run store). */
export async function readAll(dir: string): Promise<string> {
  let out = "";
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out += await readFile(path.join(entry.parentPath, entry.name), "utf8");
  }
  return out;
}
