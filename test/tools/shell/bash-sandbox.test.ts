// The bash tool under real bubblewrap: no network, a read-only workspace that stays byte-identical
// while commands write to it, workspace-write confined to the workspace (and not .git/), and a
// fixture project's `npm test` / `node --test` running inside the sandbox.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createToolBox } from "../../../src/tools/tool-box.js";
import { createTempWorkspace, type TempWorkspace } from "../temp-workspace.js";
import { HAS_BWRAP, bashIn, hashTree, outputOf } from "./sandbox-harness.js";

let ws: TempWorkspace;
let server: Server | undefined;

beforeEach(async () => {
  ws = await createTempWorkspace();
});
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  await ws.remove();
});

/** A TCP server on 127.0.0.1 that answers "hello" to whoever connects. */
async function listen(): Promise<number> {
  server = createServer((socket) => socket.end("hello\n"));
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return (server?.address() as AddressInfo).port;
}

const connectScript = (port: number) =>
  `node -e "require('net').connect(${port}, '127.0.0.1').on('data', d => { process.stdout.write('GOT ' + d); process.exit(0) }).on('error', e => { console.log('ERR ' + e.code); process.exit(3) })"`;

describe.runIf(HAS_BWRAP)("bash under bubblewrap", () => {
  it("cannot reach a server on 127.0.0.1 in read-only and workspace-write, and can with --network", async () => {
    const port = await listen();
    for (const mode of ["read-only", "workspace-write"] as const) {
      const closed = await bashIn(ws.root, mode);
      const out = outputOf(await closed.bash(connectScript(port)));
      expect(out.split("\n")[0]).toBe("exit code 3");
      expect(out).toMatch(/^ERR (ECONNREFUSED|ENETUNREACH)$/m);
      closed.box.dispose();
    }
    const open = await bashIn(ws.root, "workspace-write", { network: true });
    expect(outputOf(await open.bash(connectScript(port)))).toBe("exit code 0\nGOT hello\n");
    open.box.dispose();
  });

  it("shows commands the workspace's .env files empty, in both modes (they are looked for at the first command)", async () => {
    await ws.write(".env", "API_KEY=sk-real\n");
    await ws.write("app/.env.local", "DB_PASSWORD=hunter2\n");
    await ws.write("app/config.txt", "plain\n");
    for (const mode of ["read-only", "workspace-write"] as const) {
      const h = await bashIn(ws.root, mode);
      expect(outputOf(await h.bash("wc -c < .env; wc -c < app/.env.local; cat app/config.txt"))).toBe("exit code 0\n0\n0\nplain\n");
      h.box.dispose();
    }
  });

  it("read-only: commands see their own writes, the workspace stays byte-identical", async () => {
    await ws.write("a.txt", "original\n");
    await ws.write("src/b.js", "export const b = 1;\n");
    await ws.write(".git/HEAD", "ref: refs/heads/main\n");
    const before = await hashTree(ws.root);
    const h = await bashIn(ws.root, "read-only");
    const out = outputOf(
      await h.bash("echo changed > a.txt && rm src/b.js && mkdir -p coverage && echo '{}' > coverage/summary.json && echo x > .git/HEAD && chmod 000 a.txt; cat a.txt; ls src | wc -l; ls coverage"),
    );
    expect(out).toBe("exit code 0\nchanged\n0\nsummary.json\n");
    // The same agent's next command still sees its layer.
    expect(outputOf(await h.bash("cat coverage/summary.json"))).toBe("exit code 0\n{}\n");
    // Another agent starts from the real files.
    expect(outputOf(await h.bash("cat a.txt; ls coverage 2>&1 | head -1", { agentId: "agent-2" }))).toMatch(/^exit code 0\noriginal\nls: cannot access 'coverage'/);
    h.box.dispose();
    expect(await hashTree(ws.root)).toBe(before);
    expect(await readFile(path.join(ws.root, "a.txt"), "utf8")).toBe("original\n");
  });

  it("read-only offers no write tools; workspace-write offers edit_file and write_file", async () => {
    const ro = await bashIn(ws.root, "read-only");
    expect(ro.tools.map((t) => t.name)).toEqual(["read_file", "list_dir", "glob", "grep", "bash"]);
    const rw = await bashIn(ws.root, "workspace-write");
    expect(rw.tools.map((t) => t.name)).toEqual(["read_file", "list_dir", "glob", "grep", "edit_file", "write_file", "bash"]);
    // An agent type narrows: read-only tools from a workspace-write run, never wider.
    expect((await rw.box.toolsFor("read-only")).map((t) => t.name)).toEqual(["read_file", "list_dir", "glob", "grep", "bash"]);
    expect((await ro.box.toolsFor("danger-full-access")).map((t) => t.name)).toEqual(["read_file", "list_dir", "glob", "grep", "bash"]);
    ro.box.dispose();
    rw.box.dispose();
  });

  it("workspace-write: the workspace is writable, a path outside it and .git/ are not", async () => {
    await ws.write(".git/config", "[core]\n");
    const h = await bashIn(ws.root, "workspace-write");
    const outsideFile = path.join(ws.outside, "escaped.txt");
    const out = outputOf(
      await h.bash(`echo in > made.txt; echo out > ${outsideFile} 2>&1 || echo OUTSIDE-REFUSED; echo hook > .git/hooks-x 2>&1 || echo GIT-REFUSED; echo x >> .git/config 2>&1 || echo GIT-CONFIG-REFUSED; ls ${ws.outside} 2>&1 | head -1`),
    );
    expect(out).toContain("OUTSIDE-REFUSED");
    expect(out).toContain("GIT-REFUSED");
    expect(out).toContain("GIT-CONFIG-REFUSED");
    expect(await readFile(path.join(ws.root, "made.txt"), "utf8")).toBe("in\n");
    expect(existsSync(outsideFile)).toBe(false);
    expect(existsSync(path.join(ws.root, ".git", "hooks-x"))).toBe(false);
    expect(await readFile(path.join(ws.root, ".git", "config"), "utf8")).toBe("[core]\n");
    h.box.dispose();
  });

  it("sees a tmpfs HOME, not the person's, and an environment without keys", async () => {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: "C.UTF-8", OPENAI_API_KEY: "sk-test-0123456789abcdef", GITHUB_TOKEN: "ghp_abcdefghijklmnop", AWS_REGION: "eu-west-1", LC_ALL: "C" };
    const h = await bashIn(ws.root, "read-only", { env });
    const out = outputOf(await h.bash("echo home=$HOME; ls -A $HOME | wc -l; env | cut -d= -f1 | sort | tr '\\n' ' '"));
    expect(out).toBe("exit code 0\nhome=/tmp/home\n0\nHOME LANG LC_ALL PATH PWD SHLVL TMPDIR _ ");
    h.box.dispose();
  });

  it("runs a fixture project's npm test (node --test) inside the read-only sandbox, leaving it unchanged", async () => {
    await ws.write("package.json", JSON.stringify({ name: "fixture", version: "1.0.0", type: "module", scripts: { test: "node --test --experimental-test-coverage" } }));
    await ws.write("src/add.js", "export function add(a, b) {\n  return a + b;\n}\n");
    await ws.write("test/add.test.js", 'import { test } from "node:test";\nimport assert from "node:assert";\nimport { add } from "../src/add.js";\ntest("adds", () => assert.equal(add(1, 2), 3));\n');
    const before = await hashTree(ws.root);
    const h = await bashIn(ws.root, "read-only");
    const out = outputOf(await h.bash("npm test 2>&1", { timeoutMs: 120_000 }));
    expect(out.split("\n")[0]).toBe("exit code 0");
    expect(out).toMatch(/^\S* ?pass 1$/m);
    expect(out).toMatch(/add\.js\s*\|\s*100\.00/);
    h.box.dispose();
    expect(await hashTree(ws.root)).toBe(before);
  });
});

describe.runIf(HAS_BWRAP)("the sandbox's start-up check", () => {
  it("leaves no scratch directory when the run ends before the check does", async () => {
    const scratchParent = path.join(ws.outside, "scratch");
    await mkdir(scratchParent);
    const box = createToolBox({ workspace: ws.root, mode: "read-only", network: false, allowDotEnv: false, env: { PATH: process.env.PATH }, scrub: (t) => t, warn: () => {}, scratchParent });
    const checked = box.prepare();
    box.dispose();
    expect(await checked).toBe(false);
    expect(await readdir(scratchParent)).toEqual([]);
  });

  it("says once why bash is not offered when the sandbox cannot start, and offers no bash", async () => {
    // A workspace path overlayfs cannot take (a comma) stops the read-only sandbox before it starts.
    const odd = path.join(ws.outside, "a,b");
    await mkdir(odd);
    const h = await bashIn(odd, "read-only");
    expect(h.warnings).toEqual([`bash is not offered in read-only mode: the workspace path ${odd} has a comma, colon or backslash, which overlayfs cannot take`]);
    expect(h.tools.map((t) => t.name)).toEqual(["read_file", "list_dir", "glob", "grep"]);
    h.box.dispose();
  });
});

// Mounting the overlay that stands for a container's /tmp needs root (CI runs as root).
describe.runIf(HAS_BWRAP && process.getuid?.() === 0)("read-only where the temporary directory is itself an overlay", () => {
  it("falls back to a tmpfs layer per command: writes still never reach the workspace", async () => {
    await ws.write("a.txt", "original\n");
    const before = await hashTree(ws.root);
    const base = path.join(ws.outside, "container-tmp");
    for (const dir of ["l", "u", "w", "m"]) await mkdir(path.join(base, dir), { recursive: true });
    const mounted = path.join(base, "m");
    execFileSync("mount", ["-t", "overlay", "overlay", "-o", `lowerdir=${base}/l,upperdir=${base}/u,workdir=${base}/w`, mounted]);
    try {
      const h = await bashIn(ws.root, "read-only", { scratchParent: mounted });
      expect(h.warnings).toEqual([]);
      expect(outputOf(await h.bash("echo changed > a.txt; cat a.txt"))).toBe("exit code 0\nchanged\n");
      // Not kept: the next command starts from the real file, and the tool says so.
      expect(outputOf(await h.bash("cat a.txt"))).toBe("exit code 0\noriginal\n");
      expect(h.tools.find((t) => t.name === "bash")?.spec.description).toContain("each command starts from the real files again");
      h.box.dispose();
    } finally {
      execFileSync("umount", [mounted]);
    }
    expect(await hashTree(ws.root)).toBe(before);
  });
});

describe("without bubblewrap", () => {
  it("offers no bash and says bubblewrap is missing", async () => {
    const emptyBin = path.join(ws.outside, "bin");
    await mkdir(emptyBin);
    await writeFile(path.join(ws.outside, "note"), "");
    const h = await bashIn(ws.root, "workspace-write", { env: { PATH: emptyBin, HOME: ws.outside } });
    expect(h.warnings).toEqual(["bash is not offered in workspace-write mode: bubblewrap (bwrap) is not installed or cannot run; install it (Debian/Ubuntu: apt-get install bubblewrap)"]);
    expect(h.tools.map((t) => t.name)).not.toContain("bash");
    h.box.dispose();
  });
});

